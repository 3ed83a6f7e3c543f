/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { decodeInput, type ImportFormat, importIssue, InvalidInputError, storeImportedIssue } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { errorMessageOf } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { Layout, sendPage, type Viewer } from "./layout.tsx";

const FORMATS: Record<string, ImportFormat> = { text: "text", markdown: "markdown", json: "json" };
/** What the form may name as the file's encoding ("" = recognise UTF-8 or GBK by the bytes). */
const ENCODINGS = ["", "utf-8", "gb18030", "utf-16"];

/**
 * GET/POST /admin/import: paste the text (of the PDF, Markdown or Issue JSON) or upload the file;
 * the same importIssue as POST /api/issues, then on to the issue's page to check its outline.
 * A parse error shows the form again, with the text kept and the importer's reason.
 */
export function importPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const secretariat = needs("secretariat");

  app.get("/admin/import", secretariat, (c) => sendPage(c, <ImportForm viewer={c.get("viewer")} />));

  app.post("/admin/import", secretariat, async (c) => {
    const form = await c.req.parseBody();
    const pasted = typeof form.text === "string" ? form.text : "";
    const file = form.file instanceof File && form.file.size > 0 ? form.file : undefined;
    const format = FORMATS[typeof form.format === "string" ? form.format : ""];
    const encoding = typeof form.encoding === "string" && ENCODINGS.includes(form.encoding) ? form.encoding : "";
    try {
      // A file is read as the CLI reads it: BOMs honoured, a PDF or Word file refused with a hint.
      const text = file ? decodeInput(new Uint8Array(await file.arrayBuffer()), encoding ? { encoding } : {}) : pasted;
      const result = importIssue(text, { ...(format ? { format } : {}), ...(file ? { name: file.name } : {}) });
      const { id } = await storeImportedIssue(result, deps);
      return redirectWith(c, `/admin/issues/${encodeURIComponent(id)}`, { done: "imported" });
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return sendPage(c, <ImportForm viewer={c.get("viewer")} text={pasted} format={format} error={`无法导入：${errorMessageOf(e)}`} />, 400);
    }
  });
  return app;
}

function ImportForm(props: { viewer: Viewer; text?: string; format?: ImportFormat | undefined; error?: string }) {
  return (
    <Layout title="导入期刊" viewer={props.viewer} error={props.error}>
      <h1>导入期刊</h1>
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="card">
        <input type="hidden" name="_csrf" value={props.viewer.csrf} />
        <p>
          <label for="file">上传文件（PDF 中复制出的文本 .txt、Markdown .md 或 JSON）</label>
          <br />
          <input id="file" name="file" type="file" accept=".txt,.md,.markdown,.json,text/plain,text/markdown,application/json" />
        </p>
        <p>
          <label for="text">或粘贴文本</label>
          <textarea id="text" name="text">{props.text ?? ""}</textarea>
        </p>
        <p>
          <label>
            格式{" "}
            <select name="format">
              <option value="">自动识别</option>
              <option value="text" selected={props.format === "text"}>PDF 文本</option>
              <option value="markdown" selected={props.format === "markdown"}>Markdown</option>
              <option value="json" selected={props.format === "json"}>JSON</option>
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
        <p class="muted">上传了文件时以文件为准。UTF-8 和 GBK（Windows 记事本、WPS 默认）的文本都能自动识别；无法识别时会提示，不会导入乱码。</p>
      </form>
    </Layout>
  );
}
