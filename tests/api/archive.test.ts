import sax from "sax";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "../support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());

/** Parses XML strictly (any malformed byte throws) into the text of each element, by path. */
function readXml(xml: string): { path: string; text: string; attrs: Record<string, string> }[] {
  const parser = sax.parser(true);
  const stack: { path: string; text: string; attrs: Record<string, string> }[] = [];
  const out: typeof stack = [];
  parser.onopentag = (tag) =>
    stack.push({
      path: [...stack.map((s) => s.path.split("/").pop()), tag.name].join("/"),
      text: "",
      attrs: tag.attributes as Record<string, string>,
    });
  // Paths are full from the root: feed/entry/title.
  parser.ontext = (t) => {
    if (stack.length) stack[stack.length - 1]!.text += t;
  };
  parser.onclosetag = () => out.push(stack.pop()!);
  parser.write(xml).close();
  return out;
}

const importMarkdown = async (md: string) =>
  (
    (await (
      await ctx.api("/api/issues", {
        role: "secretariat",
        method: "POST",
        headers: { "content-type": "text/markdown" },
        body: md,
      })
    ).json()) as { id: string }
  ).id;

describe("the public web archive", () => {
  it("lists only published issues, offers their Atom feed, and escapes what the secretariat typed", async () => {
    const hostile = await importMarkdown(
      "# 【协会消息】\n\n## 会议<script>alert(1)</script> & “纪要”\n作者：李静\n\n正文。\n",
    );
    const hidden = await importMarkdown("# 【协会消息】\n\n## 未公开的一期\n\n正文。\n");

    expect((await ctx.api("/archive/feed.xml")).status).toBe(200);
    const before = await (await ctx.api("/archive")).text();
    expect(before).toContain("尚无公开的期刊");

    const published = await ctx.api(`/api/issues/${hostile}/public`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ public: true }),
    });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ id: hostile, publishedAt: expect.any(String) });

    const page = await ctx.api("/archive");
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain(`/archive/${hostile}`);
    expect(html).not.toContain(`/archive/${hidden}`);
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("会议&lt;script&gt;alert(1)&lt;/script&gt; &amp; “纪要”");

    const feed = await ctx.api("/archive/feed.xml");
    expect(feed.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const nodes = readXml(await feed.text());
    const entries = nodes.filter((n) => n.path === "feed/entry");
    expect(entries).toHaveLength(1);
    expect(nodes.find((n) => n.path === "feed/entry/title")!.text).toBe("会议<script>alert(1)</script> & “纪要”");
    expect(nodes.find((n) => n.path === "feed/entry/link")!.attrs.href).toBe(
      `${ctx.service.deps.publicUrl}/archive/${hostile}`,
    );
    expect(nodes.find((n) => n.path === "feed/entry/updated")!.text).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The web version of an unpublished issue still opens from its email link, but is not indexed.
    const web = await ctx.api(`/archive/${hidden}`);
    expect(web.status).toBe(200);
    expect(web.headers.get("x-robots-tag")).toBe("noindex");
    expect((await ctx.api(`/archive/${hostile}`)).headers.get("x-robots-tag")).toBeNull();
    expect((await ctx.api("/archive/no-such-issue")).status).toBe(404);

    // Withdrawn: gone from the list and the feed.
    await ctx.api(`/api/issues/${hostile}/public`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ public: false }),
    });
    expect(
      readXml(await (await ctx.api("/archive/feed.xml")).text()).filter((n) => n.path === "feed/entry"),
    ).toHaveLength(0);
    expect(
      (
        await ctx.api(`/api/issues/${hostile}/public`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"public":true}',
        })
      ).status,
    ).toBe(401);
  });
});
