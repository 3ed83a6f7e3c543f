/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { handleError } from "../http-errors.ts";
import type { DashboardEnv } from "./auth.tsx";
import { errorMessageOf } from "./error-messages.ts";
import { Layout, sendPage } from "./layout.tsx";

// The dashboard answers errors through the API's mapper (handleError: the status, its headers, the
// logging), so a domain error means the same status on both; only the words differ: the code in
// Chinese (error-messages.ts), and a 500 says nothing of its cause.
const inChinese = (err: Error, status: number) => (status === 500 ? "内部错误，请稍后重试。" : errorMessageOf(err));

/**
 * A thrown error as a page with the message in Chinese: what a form post or a link shows. Hono's own
 * refusals (HTTPException) keep the answer they came with.
 *
 * @example
 * app.onError(errorPage);
 */
export async function errorPage(err: Error, c: Context<DashboardEnv>): Promise<Response> {
  const res = handleError(err, c);
  if (err instanceof HTTPException) return res;
  return sendPage(
    c,
    <Layout title="出错了" viewer={c.get("viewer")} error={inChinese(err, res.status)}>
      <p>
        <a href="/admin">返回概览</a>
      </p>
    </Layout>,
    res.status as 400,
  );
}

/**
 * A thrown error as the API answers it, `{error: code, message}`, with the message in Chinese: for
 * the dashboard's routes that a page's script calls and whose `message` it shows as it is.
 *
 * @example
 * uploads.onError(errorJson);
 */
export async function errorJson(err: Error, c: Context<DashboardEnv>): Promise<Response> {
  const res = handleError(err, c);
  if (err instanceof HTTPException) return res;
  const { error } = (await res.json()) as { error: string };
  return c.json({ error, message: inChinese(err, res.status) }, res.status as 400);
}
