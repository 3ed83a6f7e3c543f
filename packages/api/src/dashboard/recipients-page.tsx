/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  BulletinError,
  checkEmail,
  decodeText,
  type ImportReport,
  importRecipients,
  type Recipient,
  RECIPIENT_LIMITS,
  RECIPIENT_STATUSES,
  type RecipientPatch,
  TIER_LABELS,
  TIERS,
} from "@bulletin/core";
import type { Context } from "hono";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { errorMessage, errorMessageOf } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { notFound } from "./issue-pages.tsx";
import { ImportReportView } from "./import-report.tsx";
import { beijingTimeLabelled, RECIPIENT_LABELS, TIER_NAMES } from "./labels.ts";
import { Csrf, Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { RecipientTable } from "./recipient-table.tsx";
import { hasRole } from "./roles.ts";
import { Choice, hrefWith, noticeOf, Pager } from "./widgets.tsx";

const PER_PAGE = 50;
const LIST = "/admin/recipients";
const one = (email: string) => `${LIST}/${encodeURIComponent(email)}`;

/** What the import form may name as the file's encoding ("" = recognise it). */
const ENCODINGS: Record<string, string> = {
  "": "自动识别（UTF-8 或 GBK）",
  "utf-8": "UTF-8",
  gb18030: "GBK / GB18030（Excel 默认）",
  "utf-16": "UTF-16（Unicode 文本）",
};

/** The text fields of a recipient, as the form sends them: trimmed, one line, within the limits. */
function details(
  form: Record<string, unknown>,
): { ok: true; value: Pick<Recipient, "name" | "organization" | "role"> } | { ok: false; message: string } {
  const out = { name: "", organization: "", role: "" };
  const names = { name: "姓名", organization: "单位", role: "职务" } as const;
  for (const k of ["name", "organization", "role"] as const) {
    const v = typeof form[k] === "string" ? (form[k] as string).trim() : "";
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/u.test(v))
      return { ok: false, message: `${names[k]}中不能有换行或控制字符。` };
    if (v.length > RECIPIENT_LIMITS[k])
      return { ok: false, message: `${names[k]}太长（最多 ${RECIPIENT_LIMITS[k]} 个字符）。` };
    out[k] = v;
  }
  return { ok: true, value: out };
}

/**
 * The recipient list (GET /admin/recipients, filtered by tier, status and text, a page at a time)
 * and, for an admin, what the API does to it: add (POST /admin/recipients), change details, tier
 * or status (GET/POST /admin/recipients/:email), delete (POST …/delete), and import a CSV upload
 * (POST /admin/recipients/import) with the per-row report on the page.
 */
export function recipientsPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const admin = needs("admin");

  app.get(LIST, async (c) => sendPage(c, await listView(c, deps, { notice: noticeOf(c) })));

  app.post(`${LIST}/import`, admin, async (c) => {
    const form = await c.req.parseBody();
    const file = form.file instanceof File && form.file.size > 0 ? form.file : undefined;
    const encoding = typeof form.encoding === "string" && Object.hasOwn(ENCODINGS, form.encoding) ? form.encoding : "";
    if (!file) return sendPage(c, await listView(c, deps, { error: "请选择要导入的 CSV 文件。" }), 400);
    let report: ImportReport;
    try {
      // The same rules as the API: the named encoding, else UTF-8 or GBK by the bytes, or refused.
      const text = decodeText(new Uint8Array(await file.arrayBuffer()), { charset: encoding || undefined }).text;
      report = await importRecipients(text, deps);
    } catch (e) {
      if (!(e instanceof BulletinError) || !/^(text|recipients-csv)\.|^recipients\.import-race$/.test(e.code)) throw e;
      return sendPage(c, await listView(c, deps, { error: `未导入：${errorMessageOf(e)}` }), 400);
    }
    return sendPage(c, await listView(c, deps, { report: { name: file.name, ...report } }));
  });

  app.post(LIST, admin, async (c) => {
    const form = await c.req.parseBody();
    const email = checkEmail(typeof form.email === "string" ? form.email : "");
    const tier = TIERS.find((t) => t === form.tier);
    const d = details(form);
    const fail = async (message: string) =>
      sendPage(c, await listView(c, deps, { error: `未添加：${message}`, draft: form }), 400);
    if (!email.ok) return fail(errorMessage(email.code));
    if (!tier) return fail("请选择层级。");
    if (!d.ok) return fail(d.message);
    const now = deps.clock.now().toISOString();
    try {
      await deps.recipients.create({
        email: email.email,
        ...d.value,
        tier,
        status: "active",
        createdAt: now,
        updatedAt: now,
      });
    } catch (e) {
      if (!(e instanceof BulletinError) || e.code !== "recipient.exists") throw e;
      return fail(`${email.email} 已在收件人名单中，请在名单里编辑它。`);
    }
    return redirectWith(c, one(email.email), { done: "recipient-added" });
  });

  app.get(`${LIST}/:email`, async (c) => {
    const r = await deps.recipients.get(c.req.param("email").toLowerCase());
    if (!r) return notFound(c, c.get("viewer"));
    return sendPage(c, <RecipientView viewer={c.get("viewer")} recipient={r} notice={noticeOf(c)} />);
  });

  app.post(`${LIST}/:email`, admin, async (c) => {
    const form = await c.req.parseBody();
    const current = await deps.recipients.get(c.req.param("email").toLowerCase());
    if (!current) return notFound(c, c.get("viewer"));
    const tier = TIERS.find((t) => t === form.tier);
    const status = RECIPIENT_STATUSES.find((s) => s === form.status);
    const d = details(form);
    const fail = (message: string) =>
      sendPage(c, <RecipientView viewer={c.get("viewer")} recipient={current} error={`未保存：${message}`} />, 400);
    if (!tier || !status) return fail("请选择层级和状态。");
    if (!d.ok) return fail(d.message);
    const patch: RecipientPatch = { ...d.value, tier, status };
    await deps.recipients.update(current.email, patch, deps.clock.now().toISOString());
    return redirectWith(c, one(current.email), { done: "recipient-saved" });
  });

  app.post(`${LIST}/:email/delete`, admin, async (c) => {
    const email = c.req.param("email").toLowerCase();
    if (!(await deps.recipients.get(email))) return notFound(c, c.get("viewer"));
    await deps.recipients.delete(email);
    return redirectWith(c, LIST, { done: "recipient-deleted" });
  });
  return app;
}

/** The list page, with what a POST has to show on it (an error, an import's report, a draft to keep). */
async function listView(
  c: Context<DashboardEnv>,
  deps: ApiDeps,
  extra: {
    notice?: string | undefined;
    error?: string;
    report?: ImportReport & { name: string };
    draft?: Record<string, unknown>;
  },
) {
  const tier = TIERS.find((t) => t === c.req.query("tier"));
  const status = RECIPIENT_STATUSES.find((s) => s === c.req.query("status"));
  const q = c.req.query("q")?.trim().slice(0, 200) || undefined;
  const cursor = c.req.query("cursor") || undefined;
  const page = await deps.recipients.list({
    limit: PER_PAGE,
    ...(tier ? { tier } : {}),
    ...(status ? { status } : {}),
    ...(q ? { q } : {}),
    ...(cursor ? { cursor } : {}),
  });
  const filters = { tier, status, q };
  const v = c.get("viewer");
  return (
    <Layout title="收件人" viewer={v} notice={extra.notice} error={extra.error}>
      <h1>收件人</h1>
      {extra.report && <ImportReportView report={extra.report} />}
      {hasRole(v.token.role, "admin") && (
        <AdminForms viewer={v} draft={extra.draft ?? {}} open={extra.draft !== undefined} />
      )}
      <form method="get" action={LIST} class="filters card">
        <Choice name="tier" label="层级" value={tier} options={TIER_NAMES} />
        <Choice name="status" label="状态" value={status} options={RECIPIENT_LABELS} />
        <label>
          搜索（邮箱、姓名、单位）
          <input type="search" name="q" value={q ?? ""} />
        </label>
        <button type="submit">筛选</button>
        <a class="button secondary" href={LIST}>
          清除
        </a>
      </form>
      <RecipientTable
        class="recipients"
        rows={page.items}
        href={(r) => one(r.email)}
        columns={[
          { head: "层级", cell: (r) => TIER_LABELS[r.tier] },
          { head: "职务", cell: (r) => r.role },
          { head: "状态", cell: (r) => RECIPIENT_LABELS[r.status] },
        ]}
      />
      <Pager
        onFirst={!cursor}
        first={hrefWith(LIST, filters)}
        next={page.cursor && hrefWith(LIST, { ...filters, cursor: page.cursor })}
      />
    </Layout>
  );
}

function AdminForms(props: { viewer: Viewer; draft: Record<string, unknown>; open: boolean }) {
  const d = (k: string) => (typeof props.draft[k] === "string" ? (props.draft[k] as string) : "");
  return (
    <div class="admin-forms">
      <details class="card" open={props.open}>
        <summary>添加收件人</summary>
        <form method="post" action={LIST} class="filters" data-form="add">
          <Csrf viewer={props.viewer} />
          <label>
            邮箱
            <input type="email" name="email" required value={d("email")} maxlength={254} />
          </label>
          <label>
            姓名
            <input type="text" name="name" value={d("name")} maxlength={RECIPIENT_LIMITS.name} />
          </label>
          <label>
            单位
            <input
              type="text"
              name="organization"
              value={d("organization")}
              maxlength={RECIPIENT_LIMITS.organization}
            />
          </label>
          <label>
            职务
            <input type="text" name="role" value={d("role")} maxlength={RECIPIENT_LIMITS.role} />
          </label>
          <label>
            层级
            <select name="tier" required>
              {TIERS.map((t) => (
                <option value={t} selected={d("tier") === t}>
                  {TIER_NAMES[t]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">添加</button>
        </form>
      </details>
      <details class="card">
        <summary>从 CSV 文件导入</summary>
        <form method="post" action={`${LIST}/import`} enctype="multipart/form-data" class="filters" data-form="import">
          <Csrf viewer={props.viewer} />
          <label>
            CSV 文件
            <input type="file" name="file" accept=".csv,text/csv" required />
          </label>
          <label>
            文件编码
            <select name="encoding">
              {Object.entries(ENCODINGS).map(([value, text]) => (
                <option value={value}>{text}</option>
              ))}
            </select>
          </label>
          <button type="submit">导入</button>
          <p class="muted grow">
            第一行为表头：email,name,organization,tier,role（邮箱、姓名、单位、层级、职务，顺序不限）。层级写
            报、发、送。Excel 保存的 CSV（GBK 或
            UTF-8）都可以直接导入。同一文件重复导入不会改变任何内容；已退订、退信或投诉的地址不会因导入而恢复。
          </p>
        </form>
      </details>
    </div>
  );
}

function RecipientView(props: { viewer: Viewer; recipient: Recipient; notice?: string | undefined; error?: string }) {
  const r = props.recipient;
  const edit = hasRole(props.viewer.token.role, "admin");
  return (
    <Layout title={r.email} viewer={props.viewer} notice={props.notice} error={props.error}>
      <p>
        <a href={LIST}>« 收件人</a>
      </p>
      <h1>{r.email}</h1>
      <p class="muted">{`加入于 ${beijingTimeLabelled(r.createdAt)} · 更新于 ${beijingTimeLabelled(r.updatedAt)}`}</p>
      <form method="post" action={one(r.email)} class="card settings" data-form="edit">
        <Csrf viewer={props.viewer} />
        <p>
          <label>
            姓名
            <input type="text" name="name" value={r.name} maxlength={RECIPIENT_LIMITS.name} disabled={!edit} />
          </label>
        </p>
        <p>
          <label>
            单位
            <input
              type="text"
              name="organization"
              value={r.organization}
              maxlength={RECIPIENT_LIMITS.organization}
              disabled={!edit}
            />
          </label>
        </p>
        <p>
          <label>
            职务
            <input type="text" name="role" value={r.role} maxlength={RECIPIENT_LIMITS.role} disabled={!edit} />
          </label>
        </p>
        <p>
          <label>
            层级
            <select name="tier" disabled={!edit}>
              {TIERS.map((t) => (
                <option value={t} selected={r.tier === t}>
                  {TIER_NAMES[t]}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p>
          <label>
            状态
            <select name="status" disabled={!edit}>
              {RECIPIENT_STATUSES.map((s) => (
                <option value={s} selected={r.status === s}>
                  {RECIPIENT_LABELS[s]}
                </option>
              ))}
            </select>
          </label>
          <span class="muted hint">只有“正常”的收件人会收到简报。退订的人请勿改回正常，除非本人要求。</span>
        </p>
        {edit && <button type="submit">保存</button>}
      </form>
      {edit && (
        <div class="actions">
          <PostButton viewer={props.viewer} action={`${one(r.email)}/delete`} label="删除此收件人" kind="danger" />
        </div>
      )}
    </Layout>
  );
}
