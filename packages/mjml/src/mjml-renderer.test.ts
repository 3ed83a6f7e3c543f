import { readFileSync } from "node:fs";
import { type Issue, parsePdfText, RenderSettingsSchema, TIERS } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { compileStrict, GMAIL_CLIP_BYTES, MjmlRenderer } from "./index.ts";

const seed = (name: string) => parsePdfText(readFileSync(`samples/bulletins/${name}`, "utf8")).issue;
const SEEDS = { "000": seed("000_72499c077e53a44e.txt"), "004": seed("004_c6f4c6a81dc11ba8.txt") };
const recipient = { email: "leader1@sxca.example.gov.cn", name: "局领导", organization: "山西省通信管理局" };
const links = {
  unsubscribeUrl: "https://bulletin.example.org/u/abc.def?x=1&y=2",
  viewOnlineUrl: "https://bulletin.example.org/issues/2025-09",
};
const bytes = (s: string) => Buffer.byteLength(s, "utf8");
/** Visible text of the HTML body, as a reader sees it (tags gone, entities decoded). */
function visibleText(html: string): string {
  const body = html.slice(html.indexOf("<body"));
  return body
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCharCode(Number.parseInt(n, 16)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

describe.each(Object.entries(SEEDS))("the %s seed rendered per tier", (_name, issue) => {
  it.each(TIERS)("%s: under 102 KB, zh-CN, every headline and paragraph in HTML and text", async (tier) => {
    const prepared = await new MjmlRenderer().prepare(issue, tier);
    const email = prepared.personalise(recipient, links);
    expect(prepared.shortened).toBe(false);
    expect(bytes(email.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(email.html).toMatch(/<html[^>]*lang="zh-CN"/);
    expect(email.html).toContain("PingFang SC");
    expect(email.html).not.toMatch(/fonts\.googleapis|@import|<link[^>]+font/i);
    const shown = visibleText(email.html).replace(/\s+/g, "");
    const text = email.text.replace(/\s+/g, "");
    for (const a of issue.sections.flatMap((s) => s.articles)) {
      for (const piece of [a.title, a.kicker, a.subtitle, ...a.paragraphs, ...a.authors]) {
        if (!piece) continue;
        expect(shown).toContain(piece.replace(/\s+/g, ""));
        expect(text).toContain(piece.replace(/\s+/g, ""));
      }
    }
    for (const org of issue.distribution.report) expect(shown).toContain(org);
  });
});

describe("tier variants", () => {
  it("share the articles and differ in wording, subject prefix and note, all configurable", async () => {
    const settings = RenderSettingsSchema.parse({
      bulletinName: "山西通信行业简报",
      tiers: { report: { note: "请各位领导审阅，如有意见请告秘书处。" }, copy: { subjectPrefix: "[抄送] " } },
    });
    const renderer = new MjmlRenderer(settings);
    const [report, distribute, copy] = await Promise.all(TIERS.map((t) => renderer.prepare(SEEDS["004"], t)));
    const r = report!.personalise(recipient, links);
    const d = distribute!.personalise(recipient, links);
    const c = copy!.personalise(recipient, links);
    expect([r.subject, d.subject, c.subject]).toEqual([
      "【报送】山西通信行业简报",
      "山西通信行业简报",
      "[抄送] 山西通信行业简报",
    ]);
    expect(r.html).toContain("请各位领导审阅");
    expect(r.text).toContain("报送说明：请各位领导审阅");
    expect(d.html).not.toContain("请各位领导审阅");
    expect(c.text).not.toContain("请各位领导审阅");
    expect(visibleText(c.html)).toContain("“抄送”名单");
    expect(visibleText(d.html)).toContain("“发”名单");
    // Each headline keeps its id and carries the <a name> that Gmail web and Outlook follow from the contents.
    const articles = (html: string) =>
      [...html.matchAll(/<h2 id="(a\d+)"[^>]*><a name="\1"><\/a>([^<]*)<\/h2>/g)].map((m) => m[2]);
    expect(articles(r.html)).toHaveLength(13);
    expect(articles(c.html)).toEqual(articles(r.html));
  });

  it("takes the masthead from settings first, then the parsed masthead", async () => {
    const issue: Issue = {
      ...SEEDS["000"],
      masthead: { title: "山西通信", number: "2025年第9期", date: "2025年9月30日" },
    };
    const parsed = (await new MjmlRenderer().prepare(issue, "distribute")).personalise(recipient, links);
    expect(parsed.subject).toBe("山西通信 2025年第9期");
    expect(visibleText(parsed.html)).toContain("2025年第9期 · 2025年9月30日");
    const configured = await new MjmlRenderer(RenderSettingsSchema.parse({ masthead: { number: "第9期" } })).prepare(
      issue,
      "report",
    );
    expect(configured.personalise(recipient, links).subject).toBe("【报送】山西通信 第9期");
  });
});

describe("personalisation", () => {
  it("compiles once per tier, then only substitutes per recipient", async () => {
    let compiles = 0;
    const counting = (mjml: string) => {
      compiles++;
      return compileStrict(mjml);
    };
    const prepared = await new MjmlRenderer(undefined, { compileMjml: counting }).prepare(SEEDS["000"], "copy");
    const emails = Array.from({ length: 200 }, (_, i) =>
      prepared.personalise(
        { email: `u${i}@m.example.com`, name: `联系人${i}`, organization: "博浩科技" },
        { ...links, unsubscribeUrl: `https://b.example.org/u/${i}` },
      ),
    );
    expect(compiles).toBe(1);
    expect(new Set(emails.map((e) => e.html)).size).toBe(200);
    expect(emails[7]!.html).toContain('href="https://b.example.org/u/7"');
    expect(emails[7]!.text).toContain("退订：https://b.example.org/u/7");
    expect(visibleText(emails[7]!.html)).toContain("是因为博浩科技在本刊的“抄送”名单中（联系人7，u7@m.example.com）");
  });

  it("writes the links out in the text part, and keeps the preheader out of it", async () => {
    const prepared = await new MjmlRenderer().prepare(SEEDS["004"], "report");
    const email = prepared.personalise(recipient, links);
    expect(email.text).toContain(`在线阅读：${links.viewOnlineUrl}`);
    expect(email.text).toContain(`退订：${links.unsubscribeUrl}`);
    expect(email.html).toContain("本期要目：工业和信息化部党组将组织实施第四轮巡视；");
    expect(email.text).not.toContain("本期要目：");
    expect(email.text).not.toMatch(/<[a-z]/i);
  });

  it("links the original PDF (下载 PDF 原版) beside the web version when the issue has one, and only then", async () => {
    const renderer = new MjmlRenderer();
    const withPdf = (await renderer.prepare(SEEDS["004"], "copy", { originalPdf: true })).personalise(recipient, links);
    expect(withPdf.html).toContain(`<a href="${links.viewOnlineUrl}/original.pdf">下载 PDF 原版</a>`);
    expect(withPdf.text).toContain(`下载 PDF 原版：${links.viewOnlineUrl}/original.pdf`);
    const web = await (await renderer.prepare(SEEDS["004"], "copy", { originalPdf: true })).webVersion(
      "https://bulletin.example.org/archive/x",
    );
    // Tier-neutral: no tier mark, no unsubscribe link of its own, no canary.
    expect(web).not.toContain("抄送");
    expect(web).not.toContain(">退订</a>");
    expect(web).not.toContain("bulletin-canary");
    expect(web).toContain('<a href="https://bulletin.example.org/archive/x/original.pdf">下载 PDF 原版</a>');
    const without = (await renderer.prepare(SEEDS["004"], "copy")).personalise(recipient, links);
    expect(without.html + without.text).not.toContain("PDF 原版");
  });

  it("refuses a link that is not http(s)", async () => {
    const prepared = await new MjmlRenderer().prepare(SEEDS["004"], "report");
    expect(() => prepared.personalise(recipient, { ...links, unsubscribeUrl: "javascript:alert(1)" })).toThrow(/http/);
  });
});

describe("hostile text", () => {
  const evil = `<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes" 'single' 【】`;
  const issue: Issue = {
    sections: [
      {
        name: `栏目${evil}`,
        articles: [
          {
            kicker: `引题${evil}`,
            title: `标题${evil}`,
            subtitle: `副题${evil}`,
            authors: [`作者<b>`, `A&B`],
            paragraphs: [`正文${evil}`, "bltph-0000000000000000-reason 不是占位符。"],
          },
        ],
      },
    ],
    distribution: { report: [`单位${evil}`], distribute: [], copy: [] },
  };
  const nasty = {
    email: "x@example.com",
    name: `<script>alert(2)</script>\r\nBcc: victim@example.net`,
    organization: `"><img src=y onerror=alert(3)>`,
  };

  it("is inert in the HTML and visible as text, in both parts", async () => {
    const email = (await new MjmlRenderer().prepare(issue, "report")).personalise(nasty, links);
    expect(email.html).not.toMatch(/<script|<img[^>]*onerror|<b>/i);
    const shown = visibleText(email.html);
    for (const piece of [
      `标题${evil}`,
      `正文${evil}`,
      `栏目${evil}`,
      `引题${evil}`,
      "作者<b> A&B",
      `单位${evil}`,
      `"><img src=y onerror=alert(3)>`,
    ]) {
      expect(shown).toContain(piece);
    }
    expect(email.text).toContain(`标题${evil}`);
    expect(email.text).toContain(`正文${evil}`);
    expect(shown).toContain("bltph-0000000000000000-reason 不是占位符。");
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.text).not.toMatch(/\r|\nBcc:/);
  });
});

describe("an issue too long for Gmail", () => {
  it("is rendered short: headlines, first paragraphs and 阅读全文 links to the web version, under 102 KB", async () => {
    const long = "信息通信行业持续推进高质量发展，网络基础设施建设成效显著。".repeat(40);
    const big: Issue = {
      sections: [
        {
          name: "长文",
          articles: Array.from({ length: 40 }, (_, i) => ({
            title: `第${i + 1}篇`,
            authors: ["秘书处"],
            paragraphs: [`首段${i}。`, long, long],
          })),
        },
      ],
      distribution: { report: [], distribute: ["团体会员单位"], copy: [] },
    };
    const prepared = await new MjmlRenderer().prepare(big, "distribute");
    const email = prepared.personalise(recipient, links);
    expect(prepared.shortened).toBe(true);
    expect(bytes(email.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(email.html).toContain(`href="${links.viewOnlineUrl}#a40"`);
    expect(visibleText(email.html)).toContain("阅读全文");
    expect(email.text).toContain(`阅读全文：${links.viewOnlineUrl}#a1`);
    expect(visibleText(email.html)).toContain("首段39。");
    expect(email.html).not.toContain(long);
  });
});

describe("the template", () => {
  it("passes MJML validation at level strict, with every optional part shown", async () => {
    const settings = RenderSettingsSchema.parse({
      logo: { url: "https://bulletin.example.org/logo.png", alt: "山西省通信行业协会" },
      tiers: { copy: { note: "供参阅。" } },
    });
    const issue: Issue = { ...SEEDS["000"], masthead: { title: "山西通信", number: "第9期", date: "2025年9月" } };
    const email = (await new MjmlRenderer(settings, { compileMjml: compileStrict }).prepare(issue, "copy")).personalise(
      recipient,
      links,
    );
    expect(email.html).toMatch(/<img[^>]+alt="山西省通信行业协会"/);
    await expect(compileStrict("<mjml><mj-body><mj-text>x</mj-text></mj-body></mjml>")).rejects.toThrow(/mj-text/);
  });
});
