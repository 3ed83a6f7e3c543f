import { describe, expect, it } from "vitest";
import { type PreSendCheckId, type PreSendContext, preSendChecks, type RenderedSample } from "./pre-send-checks.ts";
import { senderDomain } from "./sender-identity.ts";

const AWS: PreSendContext = {
  localStack: false,
  senderDomain: "news.example.org",
  dkim: { status: "verified", signingEnabled: true },
};
const LOCAL: PreSendContext = { localStack: true, senderDomain: "example.org", dkim: { status: "local" } };

const GOOD_HTML = `<html><body><a href="#a1">目录</a><a name="a1"></a>
<a href="https://news.example.org/archive/i-1">在线阅读</a>
<img src="https://news.example.org/files/logo.png" alt="协会标志">
<img src="cid:figure-1@bulletin" alt="会议现场">
<a href="mailto:office@example.org">联系我们</a>
<a href="https://news.example.org/u/tok.sig">退订</a></body></html>`;

function sample(over: Partial<RenderedSample> = {}): RenderedSample {
  return {
    tier: "report",
    subject: "【报送】山西通信 2026年第1期",
    html: GOOD_HTML,
    text: "山西通信 2026年第1期\n退订：https://news.example.org/u/tok.sig",
    shortened: false,
    ...over,
  };
}

function check(id: PreSendCheckId, samples: RenderedSample[], ctx: PreSendContext = AWS) {
  const found = preSendChecks(samples, ctx).find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
}

describe("preSendChecks", () => {
  it("passes a well-made email on AWS with DKIM verified, every check in a fixed order with a Chinese reason", () => {
    const checks = preSendChecks([sample(), sample({ tier: "copy", subject: "【抄送】山西通信 2026年第1期" })], AWS);
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ["html-size", "pass"],
      ["links", "pass"],
      ["placeholders", "pass"],
      ["image-alt", "pass"],
      ["subject-length", "pass"],
      ["dkim", "pass"],
    ]);
    for (const c of checks) expect(c.reason).toMatch(/[\u4e00-\u9fff]/);
  });

  it("fails a tier whose HTML is over Gmail's 102 KB, and names each tier's final size", () => {
    const big = sample({ tier: "distribute", html: `${GOOD_HTML}<p>${"字".repeat(35_000)}</p>` });
    const c = check("html-size", [sample(), big]);
    expect(c.status).toBe("fail");
    expect(c.reason).toMatch(/^报 0\.\d KB，发 102\.\d KB：发超过 Gmail 的 102 KB/);
    const justUnder = check("html-size", [sample({ html: "a".repeat(102 * 1024) })]);
    expect(justUnder.status).toBe("pass");
    expect(check("html-size", [sample({ html: "a".repeat(102 * 1024 + 1) })]).status).toBe("fail");
    expect(check("html-size", [sample({ shortened: true })]).reason).toContain("已改为摘要版");
  });

  it("fails relative links and images, and http:// outside the local stack; mailto:, cid: and #anchors are fine", () => {
    expect(check("links", [sample({ html: '<a href="/archive/i-1">在线阅读</a>' })])).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("1 个相对地址（收件人打不开）：/archive/i-1"),
    });
    expect(check("links", [sample({ html: '<img src="images/1.jpg" alt="x">' })]).status).toBe("fail");
    expect(check("links", [sample({ html: '<a href="//cdn.example.org/x">x</a>' })]).status).toBe("fail");
    expect(check("links", [sample({ html: '<a href="javascript:alert(1)">x</a>' })])).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("不允许的链接"),
    });
    const plain = sample({ html: '<a href="http://localhost:3000/archive/i-1">在线阅读</a>' });
    expect(check("links", [plain])).toMatchObject({ status: "fail", reason: expect.stringContaining("应为 https://") });
    expect(check("links", [plain], LOCAL)).toMatchObject({
      status: "pass",
      reason: expect.stringContaining("本地环境允许 http://"),
    });
    // Entities are decoded as a mail client decodes them.
    expect(check("links", [sample({ html: '<a href="&#104;ttp://x.example.org/">x</a>' })]).status).toBe("fail");
    expect(check("links", [sample()]).status).toBe("pass");
  });

  it("fails a placeholder left unfilled in the HTML, the text or the subject", () => {
    const ours = check("placeholders", [
      sample({ html: `${GOOD_HTML}<a href="https://x.example.org/bltph-3f9c0a1be2d47c55-unsubscribeUrl">退订</a>` }),
    ]);
    expect(ours).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("bltph-3f9c0a1be2d47c55-unsubscribeUrl"),
    });
    expect(check("placeholders", [sample({ text: "您好 {{ name }}" })])).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("{{ name }}"),
    });
    expect(check("placeholders", [sample({ html: "<p>{{{title}}}</p>" })]).status).toBe("fail");
    expect(check("placeholders", [sample({ html: "<p>{{#each items}}</p>" })]).status).toBe("fail");
    expect(check("placeholders", [sample({ subject: "【报送】山西通信 {期号}" })]).status).toBe("fail");
    // Braces that are no tag (a formula, JSON in an article) are the issue's own words.
    expect(check("placeholders", [sample({ text: "集合 {a, b} 与 {x}" })]).status).toBe("pass");
  });

  it("warns about a picture without alt text (or only spaces), but not about one marked decorative", () => {
    const c = check("image-alt", [
      sample({
        html: '<img src="https://x.example.org/1.jpg"><img src="https://x.example.org/2.jpg" alt="  "><img src="https://x.example.org/3.jpg" alt="照片">',
      }),
    ]);
    expect(c.status).toBe("warn");
    expect(c.reason).toMatch(/^2 张图片没有替代文字/);
    expect(c.reason).toContain("https://x.example.org/1.jpg、https://x.example.org/2.jpg");
    expect(
      check("image-alt", [sample({ html: '<img src="https://x.example.org/spacer.gif" alt="" role="presentation">' })])
        .status,
    ).toBe("pass");
    expect(check("image-alt", [sample({ html: "<p>无图</p>" })])).toMatchObject({
      status: "pass",
      reason: "邮件中没有图片。",
    });
  });

  it("warns about a subject too long for a mailbox's list view, counting a Chinese character as two columns", () => {
    // 30 Chinese characters are 60 columns: still whole; 31 are not.
    expect(check("subject-length", [sample({ subject: "通".repeat(30) })]).status).toBe("pass");
    const long = check("subject-length", [sample(), sample({ tier: "copy", subject: "通".repeat(31) })]);
    expect(long).toMatchObject({ status: "warn", reason: expect.stringContaining("有 31 个字") });
    // 60 Latin letters fit where 31 Chinese characters do not.
    expect(check("subject-length", [sample({ subject: "a".repeat(60) })]).status).toBe("pass");
    expect(check("subject-length", [sample({ subject: "  " })]).status).toBe("fail");
  });

  it("passes DKIM only when verified and signing; fails pending, failed, missing and signing off; warns when it cannot tell", () => {
    const dkim = (d: PreSendContext["dkim"]) => check("dkim", [sample()], { ...AWS, dkim: d });
    expect(dkim({ status: "verified", signingEnabled: true })).toMatchObject({
      status: "pass",
      reason: expect.stringContaining("news.example.org"),
    });
    expect(dkim({ status: "verified", signingEnabled: false })).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("签名已关闭"),
    });
    expect(dkim({ status: "pending" }).status).toBe("fail");
    expect(dkim({ status: "failed" }).status).toBe("fail");
    expect(dkim({ status: "not-set-up" }).status).toBe("fail");
    expect(dkim({ status: "temporary-failure" }).status).toBe("warn");
    expect(dkim({ status: "unknown", detail: "AccessDeniedException" })).toMatchObject({
      status: "warn",
      reason: expect.stringContaining("AccessDeniedException"),
    });
    expect(check("dkim", [sample()], LOCAL)).toEqual({ id: "dkim", status: "pass", reason: "本地环境不检查 DKIM。" });
  });
});

describe("senderDomain", () => {
  it("takes the domain of a bare address or of a From header with a name", () => {
    expect(senderDomain("bulletin@News.Example.org")).toBe("news.example.org");
    expect(senderDomain("=?UTF-8?B?5bGx?= <bulletin@news.example.org>")).toBe("news.example.org");
  });
});
