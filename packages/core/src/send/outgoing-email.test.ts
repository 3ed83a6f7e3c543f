import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../errors/errors.ts";
import { buildOutgoingEmail, listUnsubscribeHeaders, recipientTag, tagValue } from "./outgoing-email.ts";

describe("outgoing email", () => {
  const input = {
    issueId: "issue-1",
    sendId: "send-1",
    test: true,
    tier: "copy" as const,
    to: "a@example.cn",
    rendered: { subject: "简报第5期", html: "<p>x</p>", text: "x" },
    links: { unsubscribeUrl: "https://b.example.org/u/tok", viewOnlineUrl: "https://b.example.org/issues/issue-1" },
    from: "简报 <bulletin@example.org>",
    unsubscribeMailto: "unsubscribe@example.org",
  };

  it("builds the message with a test prefix, one-click headers and tags", async () => {
    const email = await buildOutgoingEmail(input);
    expect(email.subject).toBe("【测试】简报第5期");
    expect(email.headers).toEqual([
      {
        name: "List-Unsubscribe",
        value: "<https://b.example.org/u/tok>, <mailto:unsubscribe@example.org?subject=unsubscribe>",
      },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
    expect(email.tags).toEqual({
      issue: "issue-1",
      send: "send-1",
      tier: "copy",
      recipient: await recipientTag("a@example.cn"),
    });
    expect(email.tags.recipient).toMatch(/^[0-9a-f]{64}$/);
    expect("configurationSet" in email).toBe(false);
    expect((await buildOutgoingEmail({ ...input, test: false, configurationSet: "cs" })).subject).toBe("简报第5期");
  });

  it("refuses header values that would break or inject a header", () => {
    for (const bad of ["https://x.org/u/a\r\nBcc: x@y.cn", "https://x.org/u/a>", "", "https://x.org/u/a b"]) {
      expect(() => listUnsubscribeHeaders(bad, "u@x.org")).toThrow(InvalidInputError);
    }
    expect(() => listUnsubscribeHeaders("https://x.org/u/a", "u@x.org\n")).toThrow(InvalidInputError);
  });

  it("tags the recipient with the SHA-256 of the address, in hex (non-ASCII addresses as UTF-8)", async () => {
    for (const address of ["a@example.cn", "张三@例子.中国", ""]) {
      expect(await recipientTag(address)).toBe(createHash("sha256").update(address, "utf8").digest("hex"));
    }
  });

  it("keeps tag values within SES's characters", () => {
    expect(tagValue("01HZX_a-b")).toBe("01HZX_a-b");
    expect(tagValue("第5期")).toBe("_5_");
    expect(tagValue("")).toBe("_");
    expect(tagValue("a.b@c").length).toBe(5);
    expect(tagValue("x".repeat(300)).length).toBe(256);
  });
});
