/// <reference lib="dom" />
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parsePdfText } from "@bulletin/core";
import { MjmlRenderer } from "@bulletin/mjml";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable, launchChromium } from "../support/chromium.ts";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const issue = parsePdfText(readFileSync("samples/bulletins/004_c6f4c6a81dc11ba8.txt", "utf8")).issue;
const recipient = { email: "leader1@sxca.example.gov.cn", name: "局领导", organization: "山西省通信管理局" };
const links = {
  unsubscribeUrl: "https://bulletin.example.org/u/abc.def",
  viewOnlineUrl: "https://bulletin.example.org/archive/x",
  unsubscribeToken: "abc.def",
};
let html: string;
let text: string;
let subject: string;

beforeAll(async () => {
  ({ html, text, subject } = (await new MjmlRenderer().prepare(issue, "report")).personalise(recipient, links));
});

describe.skipIf(!chromiumAvailable)("the email as clients show it (headless Chromium)", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => browser?.close());

  for (const colorScheme of ["light", "dark"] as const) {
    // WCAG 2.1 A and AA (colour contrast among them); axe's best-practice page rules (one <main>, an <h1>) are for sites, not emails.
    it(`passes axe in ${colorScheme} mode: every text and link at 4.5:1 or more, the whole frame dark in dark mode`, async () => {
      const page = await browser.newPage({ viewport: { width: 600, height: 900 }, colorScheme });
      await page.setContent(html);
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate(() =>
        (window as unknown as { axe: { run(o: unknown): Promise<unknown> } }).axe.run({
          resultTypes: ["violations"],
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        }),
      )) as { violations: { id: string; nodes: { target: string[] }[] }[] };
      expect(
        result.violations.map(
          (v) =>
            `${v.id}: ${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(" "))
              .join(", ")}`,
        ),
      ).toEqual([]);
      if (colorScheme === "dark") {
        // No light band left around the paper: the body and the footer's section are dark too.
        const light = await page.evaluate(() =>
          Array.from(document.querySelectorAll("body, body *"))
            .map((el) => getComputedStyle(el).backgroundColor)
            .filter((c) => {
              const [r = 0, g = 0, b = 0, a = 1] = (c.match(/[\d.]+/g) ?? []).map(Number);
              return a > 0 && c !== "rgba(0, 0, 0, 0)" && (r + g + b) / 3 > 128;
            }),
        );
        expect(light).toEqual([]);
      }
      await page.close();
    });
  }

  it("reads right with <style> stripped (as some clients do): headings large and bold, first-line indents, bylines right, the tier mark shown", async () => {
    const stripped = html.replace(/<style[\s\S]*?<\/style>/gi, "");
    const page = await browser.newPage({ viewport: { width: 600, height: 900 } });
    await page.setContent(stripped);
    const look = await page.evaluate(() => {
      const h2 = document.querySelector("h2")!;
      const body = document.querySelector("p.body")!;
      const authors = document.querySelector("p.authors");
      const tier = document.querySelector(".tier-tag div");
      return {
        h2: { size: parseFloat(getComputedStyle(h2).fontSize), weight: Number(getComputedStyle(h2).fontWeight) },
        indent: getComputedStyle(body).textIndent,
        bodySize: parseFloat(getComputedStyle(body).fontSize),
        authors: authors ? getComputedStyle(authors).textAlign : "right",
        tier: tier?.textContent?.trim(),
        tocTargets: Array.from(document.querySelectorAll('a[href^="#a"]')).every(
          (a) => document.querySelector(`a[name="${a.getAttribute("href")!.slice(1)}"]`) !== null,
        ),
      };
    });
    expect(look.h2.size).toBeGreaterThan(look.bodySize);
    expect(look.h2.weight).toBeGreaterThanOrEqual(700);
    expect(look.indent).toBe("32px");
    expect(look.authors).toBe("right");
    expect(look.tier).toBe("报送");
    expect(look.tocTargets).toBe(true);
    await page.close();
  });
});

// SpamAssassin's local rules (no network tests: -L), on the message as SES would build it.
const spamassassin = ["/usr/bin/spamassassin", "/usr/local/bin/spamassassin"].find((p) => existsSync(p));
if (!spamassassin && process.env.CI) throw new Error("spamassassin is missing: .ci/run installs Debian's spamassassin");

describe.skipIf(!spamassassin)("SpamAssassin, local rules", () => {
  it("scores the email 0: the preview line is hidden without low-contrast text (HTML_FONT_LOW_CONTRAST), only zero-weight informational rules hit", () => {
    const boundary = "=_bulletin_boundary";
    const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64").replace(/.{76}/g, "$&\n");
    const message = [
      `From: =?UTF-8?B?${Buffer.from("山西省通信行业协会秘书处").toString("base64")}?= <bulletin@bulletin.example.org>`,
      "To: leader1@sxca.example.gov.cn",
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString("base64")}?=`,
      `Date: ${new Date().toUTCString()}`,
      "Message-ID: <0100019a-test@email.amazonses.com>",
      "MIME-Version: 1.0",
      `List-Unsubscribe: <${links.unsubscribeUrl}>, <mailto:unsubscribe@bulletin.example.org?subject=unsubscribe%20abc.def>`,
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
      `Content-Type: multipart/alternative; boundary="${boundary}"`,
      "",
      `--${boundary}`,
      "Content-Type: text/plain; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
      "",
      b64(text),
      `--${boundary}`,
      "Content-Type: text/html; charset=UTF-8",
      "Content-Transfer-Encoding: base64",
      "",
      b64(html),
      `--${boundary}--`,
      "",
    ].join("\n");
    const report = execFileSync(spamassassin!, ["-L", "-t"], {
      input: message,
      encoding: "utf8",
      maxBuffer: 32 * 1024 * 1024,
    });
    const status = /^X-Spam-Status: (\w+), score=(-?[\d.]+)[\s\S]*?tests=([^\n]*(?:\n\t[^\n]*)*)/m.exec(report);
    expect(status, report.slice(0, 2000)).not.toBeNull();
    const tests = status![3]!
      .replace(/\s+/g, "")
      .split(",")
      .filter((t) => /^[A-Z_0-9]+$/.test(t));
    expect(Number(status![2])).toBe(0);
    // The rules left are SpamAssassin's informational ones (±0.001: an HTML part; a message read before any relay added Received).
    expect(tests.filter((t) => !["HTML_MESSAGE", "NO_RECEIVED", "NO_RELAYS", "WEIRD_QUOTING"].includes(t))).toEqual([]);
  }, 60_000);
});
