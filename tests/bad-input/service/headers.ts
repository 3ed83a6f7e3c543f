import { beforeAll, describe, expect, it } from "vitest";
import { type Recipient, type Issue, DEFAULT_ASSOCIATION_SETTINGS, fromHeader } from "@bulletin/core";
import { readSentEmails, type SentEmail } from "@bulletin/emulators";
import type { SharedService, TestService } from "../support/shared-service.ts";

// CR/LF and other control characters where they could reach a header: recipient names and
// organisations (the API refuses them), and issue titles, which become the Subject (kept in the issue,
// stripped from the subject). Emails are then really sent on the local stack to recipients whose
// stored names hold them anyway (records written before the rules, or by another tool), and every
// header of every stored email is read back: Subject, To, From and List-Unsubscribe.
const CONTROLS = [
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  "\u0007",
  "\t",
  "\u000B",
  "\f",
  "\u001B",
  "\u007F",
  "\u0085",
  "\u009B",
  "\u2028",
  "\u2029",
];
const INJECTION = "\r\nBcc: victim@example.net\r\nX-Evil: 1";
/** Control characters and line separators: none may be in a header. */
const NOT_IN_HEADER = /[\p{Cc}\u2028\u2029]/u;
const json = { "content-type": "application/json" };

let ctx: TestService;
/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function controlCharactersInHeaders(shared: SharedService) {
  beforeAll(async () => {
    ctx = shared.ctx;
  }, 60_000);

  async function sendAndWait(issueId: string, body: object): Promise<string> {
    const res = await ctx.api(`/api/issues/${issueId}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    const { sendId } = (await res.json()) as { sendId: string };
    for (let i = 0; i < 200; i++) {
      const s = (await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string };
      if (s.status === "finished") return sendId;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the send did not finish");
  }

  describe("recipient names, organisations and roles", () => {
    it("are refused with 400 and a message naming the field when they hold a line break or control character", async () => {
      const email = (await ctx.service.deps.recipients.list({ limit: 1 })).items[0]!.email;
      const before = await ctx.service.deps.recipients.get(email);
      for (const field of ["name", "organization", "role"]) {
        for (const c of CONTROLS) {
          const res = await ctx.api(`/api/recipients/${encodeURIComponent(email)}`, {
            role: "admin",
            method: "PATCH",
            headers: json,
            body: JSON.stringify({ [field]: `张三${c}${INJECTION}` }),
          });
          expect(res.status, `${field} with ${JSON.stringify(c)}`).toBe(400);
          expect(await res.json()).toEqual({
            error: "invalid-request",
            message: `${field}: no control characters or line breaks`,
          });
        }
      }
      expect(await ctx.service.deps.recipients.get(email)).toEqual(before);
      // The CSV import refuses them too, row by row (tests/bad-input/recipients-csv.test.ts has them all).
      const csv = `email,name,organization,tier,role\nheaders-csv@example.cn,"张三${INJECTION}",协会,报,\n`;
      const report = (await (
        await ctx.api("/api/recipients/import", {
          role: "admin",
          method: "POST",
          headers: { "content-type": "text/csv" },
          body: csv,
        })
      ).json()) as { created: number; rejected: unknown[] };
      expect(report).toMatchObject({
        created: 0,
        rejected: [{ line: 2, email: "headers-csv@example.cn", reason: "name contains a line break" }],
      });
    });
  });

  describe("sending an issue whose title holds control characters, to recipients whose stored names hold them", () => {
    let emails: SentEmail[];
    const addresses = CONTROLS.map((_, i) => `headers-${i}@example.cn`);
    const title = `山西通信${CONTROLS.join("")}${INJECTION}`;
    const number = `第9期\u0085\u2028${INJECTION}`;

    beforeAll(async () => {
      // Stored past the API's checks, as an older import or another tool could have written them.
      const now = new Date().toISOString();
      for (const [i, c] of CONTROLS.entries()) {
        const r: Recipient = {
          email: addresses[i]!,
          name: `张三${c}${INJECTION}`,
          organization: `协会${c}Subject: 中奖`,
          tier: "distribute",
          role: `秘书${c}`,
          status: "active",
          createdAt: now,
          updatedAt: now,
        };
        await ctx.service.deps.recipients.create(r);
      }
      const issue: Issue = {
        masthead: { title, number, date: `2025年${INJECTION}` },
        sections: [
          { name: `栏目${INJECTION}`, articles: [{ title: `标题${INJECTION}`, authors: [], paragraphs: ["正文。"] }] },
        ],
        distribution: { report: [], distribute: [`单位${INJECTION}`], copy: [] },
      };
      const created = await ctx.api("/api/issues", {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: JSON.stringify(issue),
      });
      expect(created.status).toBe(201);
      const issueId = ((await created.json()) as { id: string }).id;
      // The issue keeps the text as imported: only what goes into a header is cleaned.
      expect(
        ((await (await ctx.api(`/api/issues/${issueId}`, { role: "viewer" })).json()) as { issue: Issue }).issue
          .masthead,
      ).toEqual(issue.masthead);
      await sendAndWait(issueId, { only: addresses });
      await sendAndWait(issueId, { only: addresses.slice(0, 2), test: true });
      emails = (await readSentEmails(ctx.service.stack)).filter((m) => addresses.includes(m.destination.to[0]!));
    }, 60_000);

    it("every recipient got its email: nothing was refused for a name, nor sent twice", () => {
      expect(emails.map((m) => m.destination.to[0]).sort()).toEqual([...addresses, ...addresses.slice(0, 2)].sort());
    });

    it("the Subject is one line with no control character, and the title's text is still in it", () => {
      for (const m of emails) {
        expect(m.subject, JSON.stringify(m.subject)).not.toMatch(NOT_IN_HEADER);
        // The test send shows the first tier's email (报), with its prefix.
        expect(m.subject).toMatch(
          /^(【测试】【报送】)?山西通信 +Bcc: victim@example\.net +X-Evil: 1 第9期 +Bcc: victim@example\.net +X-Evil: 1$/,
        );
      }
    });

    it("To is the bare address (no display name is ever built from the name), From the configured sender with the settings' name encoded", () => {
      for (const m of emails) {
        expect(m.destination).toEqual({ to: [m.destination.to[0]], cc: [], bcc: [] });
        expect(m.from).toBe(fromHeader(DEFAULT_ASSOCIATION_SETTINGS.sender, "bulletin@example.org"));
        expect(m.replyTo).toEqual([]);
      }
    });

    it("List-Unsubscribe is the signed link and the mailbox, on one line; no header was added", () => {
      for (const m of emails) {
        const names = (m.headers ?? []).map((h) => h.name);
        expect(names.sort()).toEqual(["List-Unsubscribe", "List-Unsubscribe-Post"]);
        for (const h of m.headers ?? []) expect(h.value, h.name).not.toMatch(NOT_IN_HEADER);
        const value = m.headers!.find((h) => h.name === "List-Unsubscribe")!.value;
        expect(value).toMatch(
          /^<http:\/\/localhost:\d+\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>, <mailto:unsubscribe@example\.org\?subject=unsubscribe%20[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/,
        );
      }
    });

    it("in the body, the name is on one line of the reason, with its control characters made spaces", () => {
      for (const m of emails) {
        const reason = m.body.text!.split("\n").find((l) => l.startsWith("您收到本刊"))!;
        expect(reason).toContain("Bcc: victim@example.net");
        expect(reason).not.toMatch(/[\u0000-\u001f\u007f]/);
      }
    });
  });

  describe("the Atom feed of such an issue", () => {
    it("is well-formed XML 1.0: characters XML forbids (C0 controls, lone surrogates, U+FFFE) are left out", async () => {
      const issue: Issue = {
        masthead: { title: `山西通信\f第\u0001\u000B期\uD800\uFFFE` },
        // Form feeds come with text extracted from PDFs (pdftotext ends every page with one).
        sections: [{ name: "栏目", articles: [{ title: "标题\f一\u001B[2J", authors: [], paragraphs: ["正文。"] }] }],
        distribution: { report: [], distribute: [], copy: [] },
      };
      const created = await ctx.api("/api/issues", {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: JSON.stringify(issue),
      });
      const id = ((await created.json()) as { id: string }).id;
      await ctx.api(`/api/issues/${id}/public`, {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: '{"public":true}',
      });
      const xml = await (await fetch(`${ctx.service.url}/archive/feed.xml`)).text();
      // XML 1.0's Char production: tab, LF, CR, and U+0020 up, without surrogates, U+FFFE and U+FFFF.
      const bad = [...xml].filter((ch) => !/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]$/u.test(ch));
      expect(bad.map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`)).toEqual([]);
      expect(xml).toContain("<title>山西通信第期</title>");
      expect(xml).toContain("标题一[2J");
    });
  });
}
