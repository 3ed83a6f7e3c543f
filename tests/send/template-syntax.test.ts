import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Issue } from "@bulletin/core";
import { readSentEmails, type SentEmail } from "@bulletin/emulators";
import { startTestService } from "../support/service.ts";

// A real send goes out as SendBulkEmail with the email as inline template content, and SES (here
// aws-ses-v2-local, which renders it with Handlebars as SES does) fills in each recipient's values.
// Issue text and recipient data full of template syntax must reach the mailbox as the text it is:
// never a tag, a variable, a block or an escape.
const HOSTILE = [
  "{{",
  "}}",
  "{{{x}}}",
  "{{#each}}",
  "{{/each}}",
  "{{> partial}}",
  "\\{{escaped}}",
  "{{s_reason}}",
  "{{b_l}}",
];
const h = (where: string) => `${where}${HOSTILE.join(" ")}`;

let ctx: Awaited<ReturnType<typeof startTestService>>;
let mails: SentEmail[];
const addresses = ["tpl-a@example.cn", "tpl-b@example.cn"];

beforeAll(async () => {
  ctx = await startTestService();
  const now = new Date().toISOString();
  for (const email of addresses)
    await ctx.service.deps.recipients.create({
      email,
      name: h("名"),
      organization: h("单位"),
      tier: "distribute",
      role: "会员",
      status: "active",
      createdAt: now,
      updatedAt: now,
    });
  const issue: Issue = {
    masthead: { title: h("刊"), number: h("期"), date: h("日") },
    sections: [
      {
        name: h("栏目"),
        articles: [
          {
            kicker: h("引"),
            title: h("题"),
            subtitle: h("副"),
            authors: [h("作者")],
            paragraphs: [h("正文"), h("二段")],
          },
        ],
      },
    ],
    distribution: { report: [h("报")], distribute: [h("发")], copy: [h("送")] },
  };
  const created = await ctx.api("/api/issues", {
    role: "secretariat",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(issue),
  });
  expect(created.status).toBe(201);
  const issueId = ((await created.json()) as { id: string }).id;
  const res = await ctx.api(`/api/issues/${issueId}/sends`, {
    role: "secretariat",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ only: addresses }),
  });
  const { sendId } = (await res.json()) as { sendId: string };
  for (let i = 0; i < 200; i++) {
    const s = (await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as {
      status: string;
      totals: { sent: number };
    };
    if (s.status === "finished") {
      expect(s.totals.sent).toBe(2);
      break;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  mails = (await readSentEmails(ctx.service.stack)).filter((m) => addresses.includes(m.destination.to[0]!));
}, 60_000);
afterAll(() => ctx?.service.stop());

describe("template syntax in the issue and in recipients' names", () => {
  it("every recipient got one email, in one bulk call", () => {
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(addresses);
  });

  it("reaches the text part as text, in every field", () => {
    for (const m of mails) {
      for (const where of ["刊", "期", "栏目", "引", "题", "副", "作者", "正文", "二段", "报", "发", "送"])
        expect(m.body.text, where).toContain(h(where));
      // A recipient's own values hold no markup character: ">" reads as its full-width form there.
      for (const where of ["名", "单位"]) expect(m.body.text, where).toContain(h(where).replace(">", "＞"));
    }
  });

  it("reaches the HTML part as text (braces and backslashes as they are), and the subject too", () => {
    // Mustache escapes / and > in the issue's text for HTML (&#x2F;, &gt;); braces and backslashes stay.
    const inHtml = (x: string) => x.replace(/\//g, "&#x2F;").replace(/>/g, "&gt;");
    for (const m of mails) {
      for (const where of ["刊", "栏目", "题", "正文"])
        expect(m.body.html, where).toContain(`${where}${HOSTILE.map(inHtml).join(" ")}`);
      expect(m.body.html).toContain(`名${HOSTILE.join(" ").replace(">", "＞")}`);
      expect(m.subject).toContain(h("刊"));
    }
  });

  it("each recipient's own values filled in: its own unsubscribe link", () => {
    const links = mails.map((m) => /\/u\/([\w.-]+)/.exec(m.body.text ?? "")?.[1]);
    expect(new Set(links).size).toBe(2);
    for (const m of mails)
      expect(m.headers?.find((x) => x.name === "List-Unsubscribe")?.value).toContain(
        `/u/${/\/u\/([\w.-]+)/.exec(m.body.text ?? "")?.[1]}`,
      );
  });
});
