import { html } from "hono/html";

type Html = ReturnType<typeof html>;

/**
 * The frame of the pages a recipient or the public sees (unsubscribe, archive): Chinese, readable on
 * a phone, no scripts. Every value passed in is escaped by hono/html.
 *
 * @example
 * c.html(publicPage("已退订", html`<h1>已退订</h1>`));
 */
export const publicPage = (title: string, body: Html, head: Html | string = "") => html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}
<style>body{font-family:'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif;max-width:560px;margin:3em auto;padding:0 1em;line-height:1.8;color:#1f1f1f}
h1{color:#b3261e;font-size:1.5em}a{color:#0b57d0}ul.archive{padding-left:1.2em}time{color:#5f6368;margin-left:.5em}
button{font:inherit;padding:.5em 1.5em;background:#b3261e;color:#fff;border:0;border-radius:4px;cursor:pointer}</style>
</head><body>${body}</body></html>`;
