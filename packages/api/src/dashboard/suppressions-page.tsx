/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import {
  checkEmail,
  NotFoundError,
  type SuppressionEntry,
  type SuppressionLift,
  liftSuppression,
} from "@bulletin/core";
import { Hono } from "hono";
import type { ApiDeps } from "../api-deps.ts";
import { type DashboardEnv, needs } from "./auth.tsx";
import { Layout, PostButton, sendPage, type Viewer } from "./layout.tsx";
import { BEIJING, beijingTime, beijingTimeLabelled, SUPPRESSION_LABELS } from "./labels.ts";
import { explainSource, explainSuppressionDetail } from "./reasons.ts";
import { hasRole } from "./roles.ts";
import { errorMessage } from "./error-messages.ts";
import { redirectWith } from "./flash.ts";
import { hrefWith, noticeOf, Pager } from "./widgets.tsx";

const PER_PAGE = 50;

/**
 * GET /admin/suppressions: the suppression list, and for one address (?email=) its entry and lift
 * log. POST /admin/suppressions/lift (admin): lets the address back in, logged with who and when.
 */
export function suppressionsPage(deps: ApiDeps) {
  const app = new Hono<DashboardEnv>();

  app.get("/admin/suppressions", async (c) => {
    const v = c.get("viewer");
    const cursor = c.req.query("cursor") || undefined;
    const asked = c.req.query("email")?.trim();
    const checked = asked ? checkEmail(asked) : undefined;
    const email = checked?.ok ? checked.email : undefined;
    const [page, entry, lifts] = await Promise.all([
      deps.suppressions.list({ limit: PER_PAGE, ...(cursor ? { cursor } : {}) }),
      email ? deps.suppressions.get(email) : null,
      email ? deps.suppressions.lifts(email) : [],
    ]);
    return sendPage(
      c,
      <Layout
        title="屏蔽名单"
        viewer={v}
        notice={noticeOf(c)}
        error={checked && !checked.ok ? `邮箱地址无效：${errorMessage(checked.code)}` : undefined}
      >
        <h1>屏蔽名单</h1>
        <p class="muted">退信、投诉或退订的地址在此名单上，之后的每次发送都会跳过它们。</p>
        <form method="get" action="/admin/suppressions" class="filters card">
          <label>
            查询地址
            <input type="search" name="email" value={asked ?? ""} />
          </label>
          <button type="submit">查询</button>
        </form>
        {email && <Lookup viewer={v} email={email} entry={entry} lifts={lifts} />}
        <h2>名单</h2>
        <EntryTable viewer={v} entries={page.items} />
        <Pager
          onFirst={!cursor}
          first="/admin/suppressions"
          next={page.cursor && hrefWith("/admin/suppressions", { cursor: page.cursor })}
        />
      </Layout>,
    );
  });

  app.post("/admin/suppressions/lift", needs("admin"), async (c) => {
    const form = await c.req.parseBody();
    const email = typeof form.email === "string" ? form.email : "";
    try {
      // The same use-case as DELETE /api/suppressions/:email: logged, and a bounced recipient re-activated.
      await liftSuppression(email, c.get("viewer").token.label, deps);
    } catch (e) {
      // Lifted by someone else a moment ago: the lookup below shows the log either way.
      if (!(e instanceof NotFoundError)) throw e;
    }
    return redirectWith(c, hrefWith("/admin/suppressions", { email }), { done: "lifted" });
  });
  return app;
}

function EntryTable(props: { viewer: Viewer; entries: SuppressionEntry[] }) {
  if (props.entries.length === 0) return <p class="muted">名单为空。</p>;
  const admin = hasRole(props.viewer.token.role, "admin");
  return (
    <div class="scroll">
      <table class="suppressions">
        <thead>
          <tr>
            <th>邮箱</th>
            <th>原因</th>
            <th>详情</th>
            <th>来源</th>
            <th>{`时间（${BEIJING}）`}</th>
            {admin && <th></th>}
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr data-email={e.email}>
              <td>
                <a href={hrefWith("/admin/suppressions", { email: e.email })}>{e.email}</a>
              </td>
              <td>{SUPPRESSION_LABELS[e.reason]}</td>
              <td>{explainSuppressionDetail(e.detail)}</td>
              <td>{explainSource(e)}</td>
              <td>{beijingTime(e.createdAt)}</td>
              {admin && (
                <td>
                  <PostButton
                    viewer={props.viewer}
                    action="/admin/suppressions/lift"
                    fields={{ email: e.email }}
                    label="解除屏蔽"
                    kind="secondary"
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Lookup(props: { viewer: Viewer; email: string; entry: SuppressionEntry | null; lifts: SuppressionLift[] }) {
  return (
    <section class="card" data-lookup={props.email}>
      <h2>{props.email}</h2>
      {props.entry ? <EntryTable viewer={props.viewer} entries={[props.entry]} /> : <p>不在屏蔽名单上。</p>}
      {props.lifts.length > 0 && (
        <>
          <h3>解除记录</h3>
          <ul>
            {props.lifts.map((l) => (
              <li>{`${beijingTimeLabelled(l.liftedAt)} 由 ${l.liftedBy} 解除（原因：${SUPPRESSION_LABELS[l.reason]}${l.detail ? `，${explainSuppressionDetail(l.detail)}` : ""}，屏蔽于 ${beijingTimeLabelled(l.createdAt)}）`}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
