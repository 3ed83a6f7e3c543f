/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  IMPORT_FORMATS,
  type ImportFormat,
  importIssueFile,
  InvalidInputError,
  MAX_PDF_BYTES,
  storeImportedIssue,
} from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { importUpload, uploadTicket } from "../routes/uploads-routes.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { errorJson } from "./error-answers.tsx";
import { errorMessageOf } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { Layout, sendPage, type Viewer } from "./layout.tsx";

/** What the form may name as the file's encoding ("" = recognise UTF-8 or GBK by the bytes). */
const ENCODINGS = ["", "utf-8", "gb18030", "utf-16"];

/**
 * GET/POST /admin/import: upload the bulletin PDF (or its text, Markdown or Issue JSON), or paste
 * text; the same import as POST /api/issues, then on to the issue's page to check its outline. With
 * scripts on, a PDF goes to the file store first (POST /admin/uploads, then a PUT to the URL it
 * gives), as a large PDF must on Lambda; without them, the form posts the file itself. A file that
 * cannot be imported shows the form again with the reason in Chinese, and nothing is stored.
 */
export function importPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const secretariat = needs("secretariat");

  app.get("/admin/import", secretariat, (c) => sendPage(c, <ImportForm viewer={c.get("viewer")} />));

  // The page's script shows an error's message as it is: this route answers errors as JSON, in Chinese.
  const uploads = new Hono<DashboardEnv>().onError(errorJson);
  uploads.post("/admin/uploads", secretariat, async (c) => {
    const form = await c.req.parseBody();
    // The API's checks (uploadTicket): a size that is not a whole number of bytes, or over the limit, throws.
    const { key, url, headers } = await uploadTicket(Number(form.size), deps);
    return c.json({ key, url, headers }, 201);
  });
  app.route("/", uploads);

  app.post("/admin/import", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const pasted = typeof form.text === "string" ? form.text : "";
    const file = form.file instanceof File && form.file.size > 0 ? form.file : undefined;
    const upload = typeof form.upload === "string" && form.upload !== "" ? form.upload : undefined;
    const format = IMPORT_FORMATS.find((f) => f === form.format);
    const encoding = typeof form.encoding === "string" && ENCODINGS.includes(form.encoding) ? form.encoding : "";
    try {
      let stored: Awaited<ReturnType<typeof storeImportedIssue>>;
      let images = 0;
      if (upload) {
        const { result, original } = await importUpload(upload, deps);
        stored = await storeImportedIssue(result, deps, original);
        images = result.imagesSkipped ?? 0;
        await deps.files.delete(upload);
      } else {
        // A file is read as the CLI reads it: a PDF by its bytes or name, text with its BOM.
        const bytes = file ? new Uint8Array(await file.arrayBuffer()) : new TextEncoder().encode(pasted);
        const result = await importIssueFile(
          bytes,
          { ...(format ? { format } : {}), ...(file ? { name: file.name } : {}), ...(encoding ? { encoding } : {}) },
          deps,
        );
        stored = await storeImportedIssue(result, deps, bytes);
        images = result.imagesSkipped ?? 0;
      }
      return redirectWith(c, `/admin/issues/${encodeURIComponent(stored.id)}`, {
        done: images > 0 ? "imported-images" : "imported",
      });
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      const status = e.code === "import.too-large" ? 413 : 400;
      return sendPage(
        c,
        <ImportForm viewer={c.get("viewer")} text={pasted} format={format} error={`无法导入：${errorMessageOf(e)}`} />,
        status,
      );
    }
  });

  // The page's one script: the direct upload of a PDF. Served from here, so the CSP allows 'self' only.
  app.get("/admin/assets/upload.js", (c) =>
    c.body(UPLOAD_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store" }),
  );
  return app;
}

function ImportForm(props: { viewer: Viewer; text?: string; format?: ImportFormat | undefined; error?: string }) {
  return (
    <Layout title="导入期刊" viewer={props.viewer} error={props.error}>
      <h1>导入期刊</h1>
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="card" data-direct-upload="">
        <input type="hidden" name="_csrf" value={props.viewer.csrf} />
        <input type="hidden" name="upload" value="" />
        <p>
          <label for="file">上传简报 PDF 原件（也可上传 PDF 中复制出的文本 .txt、Markdown .md 或 JSON）</label>
          <br />
          <input
            id="file"
            name="file"
            type="file"
            accept=".pdf,.txt,.md,.markdown,.json,application/pdf,text/plain,text/markdown,application/json"
          />
        </p>
        <p>
          <label for="text">或粘贴文本</label>
          <textarea id="text" name="text">
            {props.text ?? ""}
          </textarea>
        </p>
        <p>
          <label>
            格式{" "}
            <select name="format">
              <option value="">自动识别</option>
              <option value="pdf" selected={props.format === "pdf"}>
                PDF 原件
              </option>
              <option value="text" selected={props.format === "text"}>
                PDF 中复制出的文本
              </option>
              <option value="markdown" selected={props.format === "markdown"}>
                Markdown
              </option>
              <option value="json" selected={props.format === "json"}>
                JSON
              </option>
            </select>
          </label>
        </p>
        <p>
          <label>
            文件编码{" "}
            <select name="encoding">
              <option value="">自动识别（UTF-8 或 GBK）</option>
              <option value="utf-8">UTF-8</option>
              <option value="gb18030">GBK / GB18030（Windows 记事本默认）</option>
              <option value="utf-16">UTF-16（Unicode）</option>
            </select>
          </label>
        </p>
        <button type="submit">导入</button>
        <p class="muted" id="upload-status" role="status">
          上传了文件时以文件为准。PDF 不超过 {MAX_PDF_BYTES / 1024 / 1024} MB；扫描件（图片）无法导入，请上传由 Word 或
          WPS 导出的 PDF。UTF-8 和 GBK（Windows 记事本、WPS 默认）的文本都能自动识别；无法识别时会提示，不会导入乱码。
        </p>
      </form>
      <script src="/admin/assets/upload.js" defer></script>
    </Layout>
  );
}

/**
 * Sends a chosen PDF to the file store first: asks /admin/uploads where to put it, PUTs it there, then
 * submits the form with the upload's key instead of the file. Any failure is said in Chinese, and the
 * form is left as it was.
 */
const UPLOAD_SCRIPT = `"use strict";
(function () {
  var form = document.querySelector("form[data-direct-upload]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[type=file]");
  var status = document.getElementById("upload-status");
  function say(text) { status.textContent = text; status.className = "error"; }
  form.addEventListener("submit", function (event) {
    var file = input.files && input.files[0];
    if (!file || !(/\\.pdf$/i.test(file.name) || file.type === "application/pdf")) return;
    event.preventDefault();
    status.textContent = "正在上传 PDF（" + (file.size / 1048576).toFixed(1) + " MB）…";
    var body = new URLSearchParams({ _csrf: form.elements._csrf.value, size: String(file.size), name: file.name });
    fetch("/admin/uploads", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (answer) {
          if (!res.ok) throw new Error(answer.message || "无法上传，请刷新页面后重试。");
          return fetch(answer.url, { method: "PUT", headers: answer.headers, body: file }).then(function (put) {
            if (!put.ok) throw new Error("上传失败（" + put.status + "），请稍后重试。");
            form.elements.upload.value = answer.key;
            input.disabled = true;
            status.textContent = "上传完成，正在导入…";
            form.submit();
          });
        });
      })
      .catch(function (e) { say("无法导入：" + e.message); });
  });
})();
`;
