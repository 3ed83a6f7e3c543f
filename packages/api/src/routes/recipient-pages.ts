import { unsubscribeAddress } from "@bulletin/core";
import { Hono } from "hono";
import { html } from "hono/html";
import type { ApiDeps } from "../api-deps.ts";
import { verifyUnsubscribe } from "@bulletin/wiring";
import { publicPage } from "./public-page.ts";

// The pages a recipient reaches from an email, without any token of ours: one-click unsubscribe
// (RFC 8058). hono/html escapes every interpolated value.
const page = publicPage;

/**
 * /u/:token — GET shows a confirmation page; POST (the RFC 8058 one-click body
 * `List-Unsubscribe=One-Click`, or the page's button) unsubscribes at once. A token that was not
 * signed with our key is refused and changes nothing.
 */
export function recipientPages(deps: ApiDeps) {
  const app = new Hono();
  const invalid = () =>
    page(
      "链接无效",
      html`<h1>链接无效</h1><p>这个退订链接无效或已被改动，未做任何更改。</p>
    <p>如需退订，请发送邮件至 <a href="mailto:${deps.unsubscribeMailto}?subject=unsubscribe">${deps.unsubscribeMailto}</a>。</p>`,
    );

  app.get("/u/:token", (c) => {
    const who = verifyUnsubscribe(deps.unsubscribeKey, c.req.param("token"));
    if (!who) return c.html(invalid(), 400);
    return c.html(
      page(
        "退订简报",
        html`<h1>退订简报</h1>
        <p>退订后，<strong>${who.email}</strong> 将不再收到本刊。</p>
        <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">确认退订</button></form>
        <p>也可发送邮件至 <a href="mailto:${deps.unsubscribeMailto}?subject=unsubscribe">${deps.unsubscribeMailto}</a> 退订。</p>`,
      ),
    );
  });

  app.post("/u/:token", async (c) => {
    const who = verifyUnsubscribe(deps.unsubscribeKey, c.req.param("token"));
    if (!who) return c.html(invalid(), 400);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    if (form["List-Unsubscribe"] !== "One-Click") {
      return c.html(page("退订简报", html`<h1>退订简报</h1><p>请求不完整，未做任何更改。</p>`), 400);
    }
    // The same as an unsubscribe mail (source mailto): complained stays complained, the address is suppressed.
    await unsubscribeAddress(who, "one-click", deps);
    return c.html(page("已退订", html`<h1>已退订</h1><p>${who.email} 已退订，今后不会再收到本刊。</p>`));
  });

  return app;
}
