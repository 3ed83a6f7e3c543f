import { ACCOUNT_PAUSE_PREFIX, QUOTA_PAUSE_REASON, SKIP_REASONS } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { errorMessage } from "./error-messages.ts";
import { explainPause, explainReason, explainSmtp, explainSource, explainSuppressionDetail } from "./reasons.ts";

describe("reasons in the secretariat's words", () => {
  it("explains SMTP diagnostics and keeps the raw code beside them", () => {
    expect(explainSmtp("smtp; 550 5.1.1 user unknown")).toBe("收件地址不存在（550 5.1.1）");
    expect(explainSmtp("smtp; 552 5.2.2 Mailbox full")).toBe("收件邮箱已满（552 5.2.2）");
    expect(explainSmtp("smtp; 554 5.7.1 Message rejected as spam")).toBe(
      "被对方拒收（发件人被拦截，或被视为垃圾邮件）（554 5.7.1）",
    );
    // QQ Mail and 163 often give no enhanced code.
    expect(explainSmtp("smtp; 550 Mailbox not found or access denied")).toBe("收件地址不存在（550）");
    expect(explainSmtp("smtp; 550 spam blocked")).toBe("被对方拒收（可能被视为垃圾邮件）（550）");
    expect(explainSmtp("smtp; 451 try again later")).toBe("对方暂时无法接收（451）");
  });

  it("explains skip, failure, unknown and bounce reasons, and never shows English alone", () => {
    expect(explainReason(SKIP_REASONS.alreadyReceived)).toBe("已收到本期（不重复发送）");
    expect(explainReason("unsubscribed")).toBe("已退订");
    expect(explainReason("invalid address: email has no @")).toBe("邮箱地址无效");
    expect(explainReason("Permanent bounce: NoEmail")).toBe("收件地址不存在（NoEmail）");
    expect(explainReason("abuse")).toBe("收件人把邮件标记为垃圾邮件");
    expect(
      explainReason("no answer from the sender (it may have crashed between claiming and recording); not resent"),
    ).toMatch(/^发送程序没有回应/);
    expect(explainReason("ECONNRESET: socket hang up (SES may or may not have accepted the message)")).toBe(
      "与 SES 的连接中断，邮件可能已发出，未自动重发（ECONNRESET）",
    );
    expect(explainReason("MessageRejected: Email address is not verified.")).toBe(
      "SES 拒绝发送这封邮件（MessageRejected）",
    );
    expect(explainReason("something nobody foresaw")).toBe("其他原因（something nobody foresaw）");
    expect(explainReason(undefined)).toBe("");
  });

  it("explains pauses, suppression details and sources", () => {
    expect(explainPause("paused by 王丽")).toBe("由 王丽 暂停");
    expect(explainPause(`${QUOTA_PAUSE_REASON} (Daily message quota exceeded.)`)).toMatch(/^已达到 SES 每日发送上限/);
    expect(explainPause(`${ACCOUNT_PAUSE_PREFIX}Sending paused`)).toMatch(/^SES 暂停了本账户的发送/);
    expect(explainSuppressionDetail("General")).toBe("永久退信（对方没有说明原因）（General）");
    expect(explainSuppressionDetail("3 soft bounces in a row (last: MailboxFull)")).toBe(
      "连续 3 次临时退信（最近一次：收件邮箱已满）",
    );
    expect(explainSuppressionDetail("added by 王丽")).toBe("由 王丽 手动添加");
    expect(explainSource({ reason: "unsubscribe", source: "one-click unsubscribe" })).toBe("收件人一键退订");
    expect(explainSource({ reason: "unsubscribe", source: "mailto unsubscribe" })).toMatch(/^收件人发邮件退订/);
    expect(explainReason("throttled by receiver: 550 Ip frequency limited")).toMatch(
      /^对方邮件服务器限制了发送频率.*重试.*550 Ip frequency limited/,
    );
    expect(explainSource({ reason: "manual", source: "local admin" })).toBe("管理员（local admin）");
    expect(
      explainSource({ reason: "bounce", source: "3f2a9c1e-1111-2222-3333-444455556666 0100018f0a1b2c3d-aaaa-000000" }),
    ).toBe("SES 回执（发送 3f2a9c1e）");
  });

  it("an error code without a Chinese line still reads as Chinese, naming the code", () => {
    expect(errorMessage("import.never-seen")).toBe(
      "无法处理（错误代码 import.never-seen）。请检查输入后重试；如果问题仍在，请把错误代码告诉管理员。",
    );
    expect(errorMessage("text.undetectable", { line: 3, byte: 40 })).toMatch(/^无法识别文件编码（第 3 行）/);
    expect(errorMessage("row.duplicate", { first: 2 })).toBe("与第 2 行的邮箱重复");
  });
});
