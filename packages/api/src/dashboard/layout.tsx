/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { StoredToken } from "@bulletin/core";
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ROLE_LABELS } from "./labels.ts";
import { hasRole } from "./roles.ts";
import { DASHBOARD_CSS } from "./styles.ts";

/** Who is signed in, for the navigation bar and its sign-out form. */
export interface Viewer {
  token: StoredToken;
  csrf: string;
}

/**
 * The page around every dashboard view: navigation, who is signed in, sign-out (a POST with the
 * CSRF token), and optional notice/error lines.
 *
 * @example
 * <Layout title="概览" viewer={viewerOf(c)}><h1>…</h1></Layout>
 */
export function Layout(props: {
  title: string;
  viewer?: Viewer | undefined;
  notice?: string | undefined;
  error?: string | undefined;
  refresh?: number | undefined;
  children?: Child;
}) {
  const v = props.viewer;
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {props.refresh && <meta http-equiv="refresh" content={String(props.refresh)} />}
        <title>{`${props.title} · 简报管理`}</title>
        <style>{DASHBOARD_CSS}</style>
      </head>
      <body>
        <header>
          <nav>
            <a class="brand" href="/admin">
              简报管理
            </a>
            {v && (
              <>
                <a href="/admin">期刊与发送</a>
                {hasRole(v.token.role, "secretariat") && <a href="/admin/import">导入</a>}
                <a href="/admin/recipients">收件人</a>
                <a href="/admin/suppressions">屏蔽名单</a>
                <a href="/admin/settings">设置</a>
                {hasRole(v.token.role, "admin") && <a href="/admin/tokens">令牌</a>}
                <span class="who">
                  <span>{`${v.token.label}（${ROLE_LABELS[v.token.role]}）`}</span>
                  <form class="inline" method="post" action="/admin/logout">
                    <input type="hidden" name="_csrf" value={v.csrf} />
                    <button type="submit">退出</button>
                  </form>
                </span>
              </>
            )}
          </nav>
        </header>
        <main>
          {props.notice && (
            <p class="notice" role="status">
              {props.notice}
            </p>
          )}
          {props.error && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/**
 * Sends a rendered page as HTML with its doctype.
 *
 * @example
 * return sendPage(c, <Layout title="概览">…</Layout>);
 */
export async function sendPage(
  c: Context,
  page: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  return c.html(`<!doctype html>${await page}`, status);
}

/**
 * A hidden CSRF field for a form of this session.
 *
 * @example
 * <form method="post" action="…"><Csrf viewer={v} /><button>暂停</button></form>
 */
export function Csrf(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}

/**
 * A one-button POST form (pause, publish, lift…): the CSRF field and any extra hidden fields.
 *
 * @example
 * <PostButton viewer={v} action={`/admin/sends/${id}/pause`} label="暂停" />
 */
export function PostButton(props: {
  viewer: Viewer;
  action: string;
  label: string;
  fields?: Record<string, string>;
  kind?: "secondary" | "danger";
}) {
  return (
    <form class="inline" method="post" action={props.action}>
      <Csrf viewer={props.viewer} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.kind} data-action={props.label}>
        {props.label}
      </button>
    </form>
  );
}
