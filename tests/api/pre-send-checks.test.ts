import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "../support/service.ts";

// The pre-send checks on the local stack: the dry run's `checks`, and the issue page's card.
let ctx: Awaited<ReturnType<typeof startTestService>>;
let seededId: string;
const json = { "content-type": "application/json" };
type Check = { id: string; status: string; reason: string };

beforeAll(async () => {
  ctx = await startTestService();
  seededId = ctx.service.seeded?.issueId ?? (await ctx.service.deps.issues.list()).items[0]!.id;
}, 60_000);
afterAll(async () => ctx?.service.stop());

const dryRun = async (id: string, body: object = {}) => {
  const res = await ctx.api(`/api/issues/${id}/sends`, {
    role: "secretariat",
    method: "POST",
    headers: json,
    body: JSON.stringify({ dryRun: true, ...body }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { counts: Record<string, number>; warnings: string[]; checks: Check[] };
};

/** An issue whose article says {{姓名}}: a Mustache tag left in the email, as a half-made mail merge would leave it. */
async function importWithPlaceholder(tag = "{{姓名}}"): Promise<string> {
  const md = `# 【协会消息】\n\n## 关于召开年会的通知\n作者：李静\n\n尊敬的${tag}：协会定于下月召开年会。\n\n报：中国通信企业协会\n`;
  const res = await ctx.api("/api/issues", {
    role: "secretariat",
    method: "POST",
    headers: { "content-type": "text/markdown" },
    body: md,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A session through the sign-in form, as a browser gets one. */
async function signIn(role: "viewer" | "secretariat") {
  const res = await fetch(`${ctx.service.url}/admin/login`, {
    method: "POST",
    body: new URLSearchParams({ token: ctx.tokens[role] }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")!.split(";")[0]!;
}

describe("pre-send checks", () => {
  it("the dry run returns every check, passing on the local stack's sample issue; the other fields stay as they were", async () => {
    const dry = await dryRun(seededId);
    expect(dry.counts).toEqual({ report: 8, distribute: 12, copy: 8 });
    expect(dry.checks.map((c) => [c.id, c.status])).toEqual([
      ["html-size", "pass"],
      ["links", "pass"],
      ["placeholders", "pass"],
      ["image-alt", "pass"],
      ["subject-length", "pass"],
      ["dkim", "pass"],
    ]);
    const reason = (id: string) => dry.checks.find((c) => c.id === id)!.reason;
    // Each tier's final size, in the order the tiers go out.
    expect(reason("html-size")).toMatch(
      /^报 \d+\.\d KB，发 \d+\.\d KB，送 \d+\.\d KB，未超过 Gmail 的 102 KB 截断线。$/,
    );
    // The links are the service's own (PUBLIC_URL is http://localhost here): allowed only locally.
    expect(reason("links")).toContain("本地环境允许 http://");
    expect(reason("dkim")).toBe("本地环境不检查 DKIM。");
  });

  it("fails the placeholder check of an issue with {{…}} left in it, naming it, and checks the tiers that would go out", async () => {
    const id = await importWithPlaceholder();
    const dry = await dryRun(id, { tiers: ["copy"] });
    expect(dry.checks.find((c) => c.id === "placeholders")).toEqual({
      id: "placeholders",
      status: "fail",
      reason: "邮件中有未替换的占位符：{{姓名}}。请检查设置中的模板或正文。",
    });
    expect(dry.checks.find((c) => c.id === "html-size")!.reason).toMatch(/^送 \d+\.\d KB，/);
  });

  it("the issue page shows the 发送前检查 card, escaped; a failing check turns the send button into a warning with a tick to confirm", async () => {
    const id = await importWithPlaceholder();
    const secretariat = await signIn("secretariat");
    const page = await (
      await fetch(`${ctx.service.url}/admin/issues/${id}`, { headers: { cookie: secretariat } })
    ).text();
    const card = page.slice(
      page.indexOf('<section class="card" data-pre-send-checks'),
      page.indexOf("</section>", page.indexOf("data-pre-send-checks")),
    );
    expect(card).toContain("<h2>发送前检查</h2>");
    expect(card).toContain("1 项未通过：发送前请先处理。");
    expect([...card.matchAll(/data-check="([\w-]+)" data-status="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      "html-size:pass",
      "links:pass",
      "placeholders:fail",
      "image-alt:pass",
      "subject-length:pass",
      "dkim:pass",
    ]);
    expect(card).toMatch(
      /<span class="badge st-fail">未通过<\/span> <b>占位符<\/b>：邮件中有未替换的占位符：\{\{姓名\}\}。/,
    );
    expect(card).toContain('<span class="badge st-pass">通过</span> <b>DKIM 签名</b>：本地环境不检查 DKIM。');
    expect(page).toContain('<button type="submit" class="danger">仍然发送（检查未通过）</button>');
    expect(page).toMatch(
      /<label class="check warn" data-checks-failed="true"><input type="checkbox" name="checksFailed" value="yes" required=""\/?> 发送前检查有 1 项未通过（见上方“发送前检查”），确认仍然发送<\/label>/,
    );

    // All passing: the plain button, no tick. A viewer sees the card but no send form.
    const seeded = await (
      await fetch(`${ctx.service.url}/admin/issues/${seededId}`, { headers: { cookie: secretariat } })
    ).text();
    expect(seeded).toContain("全部通过。");
    expect(seeded).toContain('<button type="submit">开始发送</button>');
    expect(seeded).not.toContain("data-checks-failed");
    const viewer = await (
      await fetch(`${ctx.service.url}/admin/issues/${id}`, { headers: { cookie: await signIn("viewer") } })
    ).text();
    expect(viewer).toContain("data-pre-send-checks");
    expect(viewer).not.toContain("仍然发送");

    // What the reason quotes from the email is text on the page, never markup.
    const marked = await importWithPlaceholder("{{<img src=x onerror=alert(1)>}}");
    const escaped = await (
      await fetch(`${ctx.service.url}/admin/issues/${marked}`, { headers: { cookie: secretariat } })
    ).text();
    expect(escaped).toContain("{{&lt;img src=x onerror=alert(1)&gt;}}");
    expect(escaped).not.toContain("<img src=x");
  });
});
