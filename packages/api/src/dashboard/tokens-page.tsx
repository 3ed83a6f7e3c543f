/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { BulletinError, type Role, revokeToken, ROLES, type StoredToken, tokenId, tokenUsable } from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { createToken } from "../routes/tokens-routes.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { errorMessageOf } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { Csrf, Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { beijingTime, BEIJING, ROLE_LABELS } from "./labels.ts";
import { noticeOf } from "./widgets.tsx";

const PAGE = "/admin/tokens";

/**
 * GET /admin/tokens (admin): every API token with its role, creation, last use and expiry (never
 * the secret); a form to create one, whose secret is shown once on the page that answers it; and
 * 撤销 on each, which ends the token and every session signed in with it at once.
 */
export function tokensPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();
  const admin = needs("admin");

  app.get(PAGE, admin, async (c) =>
    sendPage(
      c,
      <TokensView
        viewer={c.get("viewer")}
        tokens={await deps.tokens.list()}
        now={deps.clock.now()}
        notice={noticeOf(c)}
      />,
    ),
  );

  app.post(PAGE, admin, async (c) => {
    const form = await c.req.parseBody();
    const label = typeof form.label === "string" ? form.label.trim() : "";
    const role = ROLES.find((r) => r === form.role);
    const until = typeof form.expires === "string" ? form.expires : "";
    const view = async (extra: { error?: string; created?: { token: string; label: string } }, status: 200 | 400) =>
      sendPage(
        c,
        <TokensView viewer={c.get("viewer")} tokens={await deps.tokens.list()} now={deps.clock.now()} {...extra} />,
        status,
      );
    if (!label || label.length > 100 || /[\u0000-\u001f\u007f]/.test(label))
      return view({ error: "请填写令牌的用途或持有人（100 字以内，不含换行）。" }, 400);
    if (!role) return view({ error: "请选择角色。" }, 400);
    if (until !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(until)) return view({ error: "有效期请选择一个日期。" }, 400);
    try {
      // A date means the end of that day in Beijing.
      const expiresAt = until ? `${until}T23:59:59+08:00` : undefined;
      const created = await createToken(deps, { role, label, expiresAt });
      return view({ created: { token: created.token, label } }, 200);
    } catch (e) {
      if (!(e instanceof BulletinError) || e.code !== "token.expiry-past") throw e;
      return view({ error: errorMessageOf(e) }, 400);
    }
  });

  app.post(`${PAGE}/:id/revoke`, admin, async (c) => {
    try {
      await revokeToken(c.req.param("id"), deps);
    } catch (e) {
      if (!(e instanceof BulletinError) || (e.code !== "token.last-admin" && e.code !== "token.not-found")) throw e;
      return sendPage(
        c,
        <TokensView
          viewer={c.get("viewer")}
          tokens={await deps.tokens.list()}
          now={deps.clock.now()}
          error={errorMessageOf(e)}
        />,
        e.code === "token.not-found" ? 404 : 409,
      );
    }
    return redirectWith(c, PAGE, { done: "token-revoked" });
  });
  return app;
}

function TokensView(props: {
  viewer: Viewer;
  tokens: StoredToken[];
  now: Date;
  notice?: string | undefined;
  error?: string;
  created?: { token: string; label: string };
}) {
  const own = props.viewer.token.hash;
  return (
    <Layout title="令牌" viewer={props.viewer} notice={props.notice} error={props.error}>
      <h1>令牌</h1>
      <p class="muted">令牌用于登录本管理页面和调用 API。令牌泄露时，在这里撤销它：用它登录的所有会话立即失效。</p>
      {props.created && (
        <section class="card created-token" data-created-token>
          <h2>{`已创建令牌：${props.created.label}`}</h2>
          <p>
            请立即复制并交给持有人。<strong>此令牌只显示这一次</strong>，系统只保存它的摘要。
          </p>
          <p>
            <input type="text" readonly value={props.created.token} class="secret" aria-label="新令牌" />
          </p>
        </section>
      )}
      <div class="scroll">
        <table class="tokens">
          <thead>
            <tr>
              <th>用途 / 持有人</th>
              <th>角色</th>
              <th>{`创建时间（${BEIJING}）`}</th>
              <th>{`最近使用（${BEIJING}）`}</th>
              <th>{`有效期至（${BEIJING}）`}</th>
              <th>状态</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.tokens.map((t) => (
              <tr data-token={tokenId(t.hash)}>
                <td>
                  {t.label}
                  {t.hash === own ? "（当前登录）" : ""}
                </td>
                <td class="nowrap">{ROLE_LABELS[t.role]}</td>
                <td class="nowrap">{beijingTime(t.createdAt)}</td>
                <td class="nowrap">{t.lastUsedAt ? beijingTime(t.lastUsedAt) : "从未使用"}</td>
                <td class="nowrap">{t.expiresAt ? beijingTime(t.expiresAt) : "长期有效"}</td>
                <td class="nowrap">{tokenUsable(t, props.now) ? "有效" : "已过期"}</td>
                <td>
                  <PostButton
                    viewer={props.viewer}
                    action={`${PAGE}/${tokenId(t.hash)}/revoke`}
                    label="撤销"
                    kind="danger"
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>新建令牌</h2>
      <form method="post" action={PAGE} class="filters card">
        <Csrf viewer={props.viewer} />
        <label>
          用途 / 持有人
          <input type="text" name="label" required maxlength={100} placeholder="例如：王丽（秘书处）" />
        </label>
        <label>
          角色
          <select name="role">
            {(["viewer", "secretariat", "admin"] as Role[]).map((r) => (
              <option value={r}>{`${ROLE_LABELS[r]}：${ROLE_NOTES[r]}`}</option>
            ))}
          </select>
        </label>
        <label>
          {`有效期至（当天 23:59 ${BEIJING}，可不填）`}
          <input type="date" name="expires" />
        </label>
        <button type="submit">创建</button>
      </form>
    </Layout>
  );
}

const ROLE_NOTES: Record<Role, string> = {
  viewer: "只能查看",
  secretariat: "还可导入和发送",
  admin: "还可管理收件人、设置和令牌",
};
