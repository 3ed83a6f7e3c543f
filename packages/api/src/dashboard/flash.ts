import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/** What a page reached after a POST may announce: fixed texts, so no input is ever echoed. */
export const NOTICES = {
  imported: "已导入。请核对下面的大纲。",
  "imported-images": "已导入。请核对下面的大纲和图片。PDF 中有图片未能读取，已略去；图片前后的正文已完整导入。",
  sent: "已开始发送。",
  "test-sent": "测试邮件已开始发送，收件人不会被记为已收到本期。",
  ready: "已标记为待发：月度定时发送将发送此期。",
  unready: "已取消待发标记。",
  published: "已公开到网页存档。",
  unpublished: "已撤回公开。",
  masthead: "已保存刊头。之后发出的邮件主题使用新的刊名、期号和日期。",
  "figure-saved": "已保存图片说明。预览和之后发出的邮件使用新的说明。",
  "figure-removed": "已删除这张图片。预览和之后发出的邮件不再显示它。",
  pause: "已暂停发送。",
  resume: "已恢复发送。",
  cancel: "已取消发送。",
  retry: "已将失败的收件人重新排队。",
  lifted: "已解除屏蔽。",
  "recipient-added": "已添加收件人。",
  "recipient-saved": "已保存收件人。",
  "recipient-deleted": "已删除收件人。",
  settings: "已保存设置。之后的预览和发送都使用新设置。",
  "token-revoked": "已撤销令牌：用它登录的会话和 API 调用立即失效。",
} as const satisfies Record<string, string>;

/** What may have stopped a POST, shown on the page it redirected to. */
export const FAILURES = {
  conflict: "发送的状态已经变化，未执行此操作。下面显示的是当前状态。",
} as const satisfies Record<string, string>;

export type Notice = keyof typeof NOTICES;
export type Failure = keyof typeof FAILURES;

/** One-shot: set by the POST, read and cleared by the next page, so a reload (or the live page's refresh) does not repeat it. */
const FLASH_COOKIE = "bulletin_flash";
const COOKIE = { path: "/admin", httpOnly: true, sameSite: "Strict", maxAge: 60 } as const;

/**
 * A 303 to `url` carrying a notice (or a failure) for the page there, shown once.
 *
 * @example
 * return redirectWith(c, `/admin/sends/${id}`, { done: "pause" });
 */
export function redirectWith(c: Context, url: string, flash: { done: Notice } | { failed: Failure }): Response {
  setCookie(c, FLASH_COOKIE, "done" in flash ? `done:${flash.done}` : `failed:${flash.failed}`, {
    ...COOKIE,
    secure: new URL(c.req.url).protocol === "https:",
  });
  return c.redirect(url, 303);
}

function takeFlash(c: Context): string | undefined {
  const value = getCookie(c, FLASH_COOKIE);
  if (value !== undefined) deleteCookie(c, FLASH_COOKIE, { path: "/admin" });
  return value;
}

/**
 * The notice a POST left for this page, if any (and it is then gone).
 *
 * @example
 * <Layout notice={noticeOf(c)} …>
 */
export function noticeOf(c: Context): string | undefined {
  const m = /^done:(.+)$/.exec(takeFlash(c) ?? "");
  return m && Object.hasOwn(NOTICES, m[1]!) ? NOTICES[m[1] as Notice] : undefined;
}

/**
 * The failure a POST left for this page, if any (and it is then gone).
 *
 * @example
 * <Layout error={errorOf(c)} …>
 */
export function errorOf(c: Context): string | undefined {
  const m = /^failed:(.+)$/.exec(getCookie(c, FLASH_COOKIE) ?? "");
  if (m) takeFlash(c);
  return m && Object.hasOwn(FAILURES, m[1]!) ? FAILURES[m[1] as Failure] : undefined;
}
