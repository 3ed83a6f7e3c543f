import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "../support/service.ts";

const SEED_004 = readFileSync("samples/bulletins/004_c6f4c6a81dc11ba8.txt", "utf8");
let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());

describe("/api/issues", () => {
  it("imports the PDF text, stores it, and returns its id and outline", async () => {
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: SEED_004,
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as {
      id: string;
      articles: number;
      outline: {
        sections: { name: string | null; articles: { title: string; authors: string[] }[] }[];
        distribution: Record<string, number>;
      };
      warnings: string[];
    };
    expect(created.articles).toBe(13);
    expect(created.outline.sections.map((s) => s.name)).toEqual([null, "高层信息", "行业综合", "协会消息", "会员动态"]);
    expect(created.outline.distribution).toEqual({ report: 5, distribute: 4, copy: 2 });
    expect(created.warnings.join()).toMatch(/报/);

    const got = await ctx.api(`/api/issues/${created.id}`, { role: "viewer" });
    expect(got.status).toBe(200);
    const stored = (await got.json()) as { issue: { sections: { articles: { title: string }[] }[] } };
    expect(stored.issue.sections[4]!.articles[1]!.title).toBe(
      "山西电信“5·17”世界电信日和山西总工会服务户外劳动者公益爱心活动“联姻”",
    );

    const list = (await (await ctx.api("/api/issues", { role: "viewer" })).json()) as { items: { id: string }[] };
    expect(list.items[0]!.id).toBe(created.id);

    const preview = await ctx.api(`/api/issues/${created.id}/preview/copy`, { role: "viewer" });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await preview.text();
    expect(html).toContain("“抄送”名单");
    expect(html).toContain(`${ctx.service.deps.publicUrl}/archive/${created.id}`);
  });

  it("takes Markdown and Issue JSON too", async () => {
    const md = "# 【协会消息】\n\n## 标题一\n作者：李静\n\n正文第一段。\n\n报：中国通信企业协会\n";
    const a = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/markdown" },
      body: md,
    });
    expect(a.status).toBe(201);
    const issue = {
      sections: [{ name: "协会消息", articles: [{ title: "标题二", authors: [], paragraphs: ["正文。"] }] }],
      distribution: { report: [], distribute: ["理事"], copy: [] },
    };
    const b = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(issue),
    });
    expect(b.status).toBe(201);
    expect(((await b.json()) as { format: string }).format).toBe("json");
  });

  it("answers bad input with 400 and a clear message, a missing issue with 404, a huge body with 413", async () => {
    const bad = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "Hello, this is a README.",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/not a bulletin/);
    const badJson = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"sections": 3}',
    });
    expect(badJson.status).toBe(400);
    expect((await ctx.api("/api/issues/nope", { role: "viewer" })).status).toBe(404);
    expect((await ctx.api("/api/issues/nope/preview/vip", { role: "viewer" })).status).toBe(400);
    const huge = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "字".repeat(6 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it("edits the masthead; the list shows it; a real send without a number is refused unless confirmed", async () => {
    const json = { "content-type": "application/json" };
    const created = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: SEED_004,
    });
    const { id } = (await created.json()) as { id: string };
    const refused = await ctx.api(`/api/issues/${id}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify({ tiers: ["report"] }),
    });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: "send.no-issue-number" });
    const dry = (await (
      await ctx.api(`/api/issues/${id}/sends`, {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: JSON.stringify({ dryRun: true }),
      })
    ).json()) as { warnings: string[] };
    expect(dry.warnings).toEqual(["send.no-issue-number"]);

    const patch = (body: unknown, role: "secretariat" | "viewer" = "secretariat") =>
      ctx.api(`/api/issues/${id}`, { role, method: "PATCH", headers: json, body: JSON.stringify(body) });
    expect((await patch({ masthead: { number: "2026年第1期" } }, "viewer")).status).toBe(403);
    expect((await patch({ masthead: { number: "第1期\r\nBcc: x@example.net" } })).status).toBe(400);
    const edited = await patch({ masthead: { title: "山西通信", number: "2026年第1期", date: "2026年1月30日" } });
    expect(await edited.json()).toMatchObject({
      id,
      label: "山西通信 2026年第1期",
      masthead: { title: "山西通信", number: "2026年第1期", date: "2026年1月30日" },
    });
    expect(await (await patch({ masthead: { date: "" } })).json()).toMatchObject({
      masthead: { title: "山西通信", number: "2026年第1期" },
    });
    const listed = (
      (await (await ctx.api("/api/issues", { role: "viewer" })).json()) as {
        items: { id: string; label: string; masthead?: object }[];
      }
    ).items.find((i) => i.id === id);
    expect(listed).toMatchObject({
      label: "山西通信 2026年第1期",
      masthead: { title: "山西通信", number: "2026年第1期" },
    });
    expect(
      ((await (await ctx.api(`/api/issues/${id}`, { role: "viewer" })).json()) as { issue: { masthead: object } }).issue
        .masthead,
    ).toEqual({ title: "山西通信", number: "2026年第1期" });
    const preview = await (await ctx.api(`/api/issues/${id}/preview/report`, { role: "viewer" })).text();
    expect(preview).toContain("2026年第1期");
    expect((await patch({ masthead: { number: "" } })).status).toBe(200);
    const confirmed = await ctx.api(`/api/issues/${id}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify({ tiers: ["report"], confirmNoNumber: true, scheduledAt: "2099-01-01T00:00:00Z" }),
    });
    expect(confirmed.status).toBe(202);
  });
});
