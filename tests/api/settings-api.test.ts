import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import { startTestService } from "../support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
}, 60_000);
afterAll(async () => ctx?.service.stop());

const json = { "content-type": "application/json" };
const SETTINGS = {
  bulletinName: "山西通信",
  sender: "山西省通信行业协会秘书处",
  replyTo: "office@sxca.example.org",
  subjectTemplate: "{前缀}{刊名}（{期号}）",
  footer: "地址：太原市小店区\n电话：0351-1234567",
  tiers: { report: { note: "请各位领导审阅。" }, copy: { label: "抄送", subjectPrefix: "[抄送] " } },
};

/** The display name of a From header, decoded from its RFC 2047 encoded-words as a mail client does. */
const fromName = (from: string) =>
  Buffer.concat(
    [...from.matchAll(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/g)].map((m) => Buffer.from(m[1]!, "base64")),
  ).toString("utf8");

describe("/api/settings", () => {
  it("gives today's defaults until saved; an admin saves them, everyone reads them", async () => {
    const before = (await (await ctx.api("/api/settings", { role: "viewer" })).json()) as {
      settings: Record<string, unknown>;
      updatedBy?: string;
    };
    expect(before.settings).toMatchObject({
      bulletinName: "通信行业简报",
      sender: "山西省通信行业协会秘书处",
      subjectTemplate: "{前缀}{刊名} {期号}",
    });
    expect(before.updatedBy).toBeUndefined();
    const saved = await ctx.api("/api/settings", {
      role: "admin",
      method: "PUT",
      headers: json,
      body: JSON.stringify(SETTINGS),
    });
    expect(saved.status).toBe(200);
    const read = (await (await ctx.api("/api/settings", { role: "viewer" })).json()) as {
      settings: Record<string, any>;
      updatedBy: string;
    };
    expect(read.settings).toMatchObject({
      ...SETTINGS,
      tiers: {
        report: { label: "报送", subjectPrefix: "【报送】", note: "请各位领导审阅。" },
        copy: { label: "抄送", subjectPrefix: "[抄送] " },
      },
    });
    expect(read.updatedBy).toBe("local admin");
  });

  it("refuses a line break in the sender, an unknown placeholder, a per-issue masthead, and stores nothing of it", async () => {
    const before = await (await ctx.api("/api/settings", { role: "viewer" })).text();
    for (const bad of [
      { sender: "秘书处\r\nBcc: victim@example.net" },
      { subjectTemplate: "{前缀}{名称}" },
      { masthead: { number: "第1期" } },
      { replyTo: "not an address" },
      { logo: { url: "javascript:alert(1)", alt: "x" } },
    ]) {
      const res = await ctx.api("/api/settings", {
        role: "admin",
        method: "PUT",
        headers: json,
        body: JSON.stringify({ ...SETTINGS, ...bad }),
      });
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await (await ctx.api("/api/settings", { role: "viewer" })).text()).toBe(before);
  });

  it("previews and sends use them: subject from the template, the sender's name on From, Reply-To, the footer", async () => {
    const issueId = ((await (await ctx.api("/api/issues", { role: "viewer" })).json()) as { items: { id: string }[] })
      .items[0]!.id;
    const preview = await (await ctx.api(`/api/issues/${issueId}/preview/report`, { role: "viewer" })).text();
    expect(preview).toContain("地址：太原市小店区");
    expect(preview).toContain("电话：0351-1234567");
    expect(preview).toContain("请各位领导审阅。");
    const res = await ctx.api(`/api/issues/${issueId}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify({ test: true, tiers: ["copy"], only: ["proof@example.org"] }),
    });
    const { sendId } = (await res.json()) as { sendId: string };
    let status = "";
    for (let i = 0; i < 100 && status !== "finished"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = ((await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string })
        .status;
    }
    const [email] = (await readSentEmails(ctx.service.stack)).filter(
      (e) => e.destination.to[0] === "proof@example.org",
    );
    expect(email).toBeDefined();
    expect(email!.from).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <bulletin@example\.org>$/);
    expect(fromName(email!.from)).toBe("山西省通信行业协会秘书处");
    expect(email!.replyTo).toEqual(["office@sxca.example.org"]);
    const issue = (
      (await (await ctx.api(`/api/issues/${issueId}`, { role: "viewer" })).json()) as {
        issue: { masthead?: { title?: string; number?: string } };
      }
    ).issue;
    const name = issue.masthead?.title ?? "山西通信";
    expect(email!.subject).toBe(`【测试】[抄送] ${name}（${issue.masthead?.number ?? ""}）`.replace("（）", ""));
    expect(email!.body.text).toContain("电话：0351-1234567");
  }, 30_000);
});
