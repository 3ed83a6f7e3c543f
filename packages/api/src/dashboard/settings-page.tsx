/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type AssociationSettings, currentSettings, InvalidInputError, TIERS, type Tier } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { saveSettings } from "../routes/settings-routes.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { redirectWith } from "./flash.ts";
import { beijingTimeLabelled, TIER_NAMES } from "./labels.ts";
import { Csrf, Layout, sendPage, type Viewer } from "./layout.tsx";
import { hasRole } from "./roles.ts";
import { noticeOf } from "./widgets.tsx";

const PAGE = "/admin/settings";

/** The fields of the form, by the settings' path, in the secretariat's words (also for naming a field in an error). */
const FIELD_NAMES: Record<string, string> = {
  bulletinName: "刊名",
  sender: "发件人名称",
  replyTo: "回复地址",
  subjectTemplate: "邮件主题格式",
  footer: "页脚文字",
  "logo.url": "标志图片地址",
  "logo.alt": "标志说明文字",
  label: "称呼",
  subjectPrefix: "主题前缀",
  note: "附言",
};

/**
 * GET /admin/settings (everyone reads; the form is the admin's) and POST /admin/settings (admin):
 * the association's settings as PUT /api/settings takes them, the same validation, and on an error
 * the form again with what was typed and the field named in Chinese.
 */
export function settingsPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();

  app.get(PAGE, async (c) => {
    const stored = await deps.settings.get();
    return sendPage(
      c,
      <SettingsView
        viewer={c.get("viewer")}
        values={toForm(stored?.settings ?? (await currentSettings(deps.settings)))}
        saved={
          stored ? `${stored.updatedBy} 于 ${beijingTimeLabelled(stored.updatedAt)} 保存` : "尚未保存过，以下为默认设置"
        }
        notice={noticeOf(c)}
      />,
    );
  });

  app.post(PAGE, needs("admin"), async (c) => {
    const form = await c.req.parseBody();
    const values = Object.fromEntries(
      Object.entries(form).filter((e): e is [string, string] => typeof e[1] === "string"),
    );
    try {
      await saveSettings(deps, fromForm(values), c.get("viewer").token.label);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      const field = String(e.details?.field ?? "");
      const name = FIELD_NAMES[field] ?? FIELD_NAMES[field.split(".").pop() ?? ""] ?? "设置";
      const tier = TIERS.find((t) => field.startsWith(`tiers.${t}.`));
      const where = tier ? `${TIER_NAMES[tier]}的${name}` : name;
      return sendPage(
        c,
        <SettingsView
          viewer={c.get("viewer")}
          values={values}
          error={`${where}有误，未保存：${FIELD_HINTS[field.split(".").pop() ?? ""] ?? "请检查后重试（不能含换行等控制字符，也不能过长）。"}`}
        />,
        400,
      );
    }
    return redirectWith(c, PAGE, { done: "settings" });
  });
  return app;
}

const FIELD_HINTS: Record<string, string> = {
  subjectTemplate: "只能使用 {前缀} {刊名} {期号} {日期}，且须包含 {刊名} 或 {期号}；不能含换行。",
  replyTo: "请填写一个邮箱地址，或留空。",
  url: "请填写以 https:// 开头的图片地址，或留空。",
  sender: "不能为空，不能含换行，100 字以内。",
  bulletinName: "不能为空，不能含换行，60 字以内。",
  label: "不能为空，不能含换行，20 字以内。",
};

type FormValues = Record<string, string>;

/** The settings as the form's fields (flat names: tiers.report.label …). */
function toForm(s: AssociationSettings): FormValues {
  const v: FormValues = {
    bulletinName: s.bulletinName,
    sender: s.sender,
    replyTo: s.replyTo ?? "",
    subjectTemplate: s.subjectTemplate,
    footer: s.footer ?? "",
    "logo.url": s.logo?.url ?? "",
    "logo.alt": s.logo?.alt ?? "",
    images: s.images,
  };
  for (const t of TIERS) {
    v[`tiers.${t}.label`] = s.tiers[t].label;
    v[`tiers.${t}.subjectPrefix`] = s.tiers[t].subjectPrefix;
    v[`tiers.${t}.note`] = s.tiers[t].note ?? "";
  }
  return v;
}

/** The form's fields as the settings' input: empty optional fields left out, so they take their defaults. */
function fromForm(v: FormValues): unknown {
  const text = (k: string) => (v[k] ?? "").replace(/\r\n?/g, "\n");
  const optional = (k: string) => (text(k).trim() ? { [k]: text(k) } : {});
  const logo =
    text("logo.url").trim() || text("logo.alt").trim()
      ? { logo: { url: text("logo.url").trim(), alt: text("logo.alt").trim() } }
      : {};
  const tiers = Object.fromEntries(
    TIERS.map((t) => [
      t,
      {
        label: text(`tiers.${t}.label`),
        subjectPrefix: text(`tiers.${t}.subjectPrefix`),
        ...(text(`tiers.${t}.note`).trim() ? { note: text(`tiers.${t}.note`) } : {}),
      },
    ]),
  );
  return {
    bulletinName: text("bulletinName"),
    sender: text("sender"),
    subjectTemplate: text("subjectTemplate"),
    ...optional("replyTo"),
    ...optional("footer"),
    ...logo,
    images: text("images") === "inline" ? "inline" : "linked",
    tiers,
  };
}

function SettingsView(props: {
  viewer: Viewer;
  values: FormValues;
  saved?: string;
  notice?: string | undefined;
  error?: string;
}) {
  const v = props.values;
  const admin = hasRole(props.viewer.token.role, "admin");
  const field = (name: string, label: string, hint?: string, attrs: Record<string, string | number | boolean> = {}) => (
    <p>
      <label for={name}>{label}</label>
      <input id={name} name={name} type="text" value={v[name] ?? ""} disabled={!admin} {...attrs} />
      {hint && <span class="muted hint">{hint}</span>}
    </p>
  );
  return (
    <Layout title="设置" viewer={props.viewer} notice={props.notice} error={props.error}>
      <h1>设置</h1>
      {props.saved && <p class="muted">{props.saved}</p>}
      {!admin && <p class="muted">只有管理员可以修改设置。</p>}
      <form method="post" action={PAGE} class="settings">
        <Csrf viewer={props.viewer} />
        <section class="card">
          <h2>简报与发件人</h2>
          {field("bulletinName", "刊名", "期刊没有刊头时使用。", { required: true, maxlength: 60 })}
          {field("sender", "发件人名称", "收件人看到的发件人，例如：山西省通信行业协会秘书处。也显示在邮件页脚。", {
            required: true,
            maxlength: 100,
          })}
          {field("replyTo", "回复地址（可不填）", "收件人点“回复”时写给这个邮箱。", { type: "email", maxlength: 254 })}
          {field(
            "subjectTemplate",
            "邮件主题格式",
            "可用 {前缀}（各层级的主题前缀）、{刊名}、{期号}、{日期}。例如 {前缀}{刊名} {期号} → 【报送】山西通信 2026年第1期",
            { required: true, maxlength: 200 },
          )}
          <p>
            <label for="footer">页脚文字（可不填）</label>
            <textarea id="footer" name="footer" class="short" maxlength={500} disabled={!admin}>
              {v.footer ?? ""}
            </textarea>
            <span class="muted hint">显示在每封邮件底部，例如地址和电话，每行一项。</span>
          </p>
          {field("logo.url", "标志图片地址（可不填）", "https:// 开头的图片地址，显示在刊头上方。", { maxlength: 500 })}
          {field("logo.alt", "标志说明文字", "图片无法显示时显示的文字，例如协会名称。", { maxlength: 100 })}
          <fieldset>
            <legend>邮件中的图片</legend>
            <label class="check">
              <input type="radio" name="images" value="linked" checked={v.images !== "inline"} disabled={!admin} />{" "}
              链接（默认）：图片放在网页存档，邮件较小；部分邮箱需要收件人点“显示图片”
            </label>
            <label class="check">
              <input type="radio" name="images" value="inline" checked={v.images === "inline"} disabled={!admin} />{" "}
              内嵌：图片随邮件附带，拦截外部图片的邮箱也能直接显示；邮件较大，超过 1.5 MB 时“先预览收件人”会提醒
            </label>
          </fieldset>
        </section>
        {TIERS.map((t: Tier) => (
          <section class="card" data-tier={t}>
            <h2>{`层级：${TIER_NAMES[t]}`}</h2>
            {field(`tiers.${t}.label`, "称呼", "邮件中对这一层级的称呼，例如 报送、发、抄送。", {
              required: true,
              maxlength: 20,
            })}
            {field(`tiers.${t}.subjectPrefix`, "主题前缀", "放在主题最前面，例如 【报送】；可为空。", {
              maxlength: 40,
            })}
            <p>
              <label for={`tiers.${t}.note`}>附言（可不填）</label>
              <textarea
                id={`tiers.${t}.note`}
                name={`tiers.${t}.note`}
                class="short"
                maxlength={2000}
                disabled={!admin}
              >
                {v[`tiers.${t}.note`] ?? ""}
              </textarea>
              <span class="muted hint">只给这一层级看的一段话，显示在目录上方。</span>
            </p>
          </section>
        ))}
        {admin && <button type="submit">保存设置</button>}
      </form>
    </Layout>
  );
}
