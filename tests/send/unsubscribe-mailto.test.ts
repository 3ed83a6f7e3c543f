import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import type { LocalService } from "@bulletin/local";
import { startTestService } from "../support/service.ts";
import { smtpSend } from "../support/smtp-client.ts";

let service: LocalService;
let api: Awaited<ReturnType<typeof startTestService>>["api"];

beforeAll(async () => {
  ({ service, api } = await startTestService({ SEND_RATE: "50", UNSUBSCRIBE_FORWARD_TO: "office@sxca.example.org" }));
});
afterAll(async () => service?.stop());

/** A mail as QQ Mail writes it when its 退订 button follows the List-Unsubscribe mailto. */
function mailFrom(from: string, to: string, subject: string, body = "") {
  return [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${Math.random().toString(36).slice(2)}@qq.com>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    body,
  ].join("\r\n");
}

async function sendAll(issueId: string) {
  const { sendId } = (await (
    await api(`/api/issues/${issueId}/sends`, {
      method: "POST",
      role: "secretariat",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ confirmNoNumber: true }),
    })
  ).json()) as { sendId: string };
  for (let i = 0; i < 300; i++) {
    const s = (await (await api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string };
    if (s.status === "finished") return sendId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("send did not finish");
}

describe("unsubscribe by mail (the List-Unsubscribe mailto), on the local SMTP server", () => {
  it("a mail carrying a real email's token unsubscribes that recipient (source mailto); a forged one changes nothing and is forwarded to a person", async () => {
    const issueId = (await service.deps.issues.list()).items[0]!.id;
    await sendAll(issueId);
    const email = (await readSentEmails(service.stack)).find(
      (e) => e.destination.to[0] === "member@bohao.example.com",
    )!;
    const header = email.headers!.find((h) => h.name === "List-Unsubscribe")!.value;
    const mailto = /<mailto:([^?>]+)\?subject=([^>]+)>/.exec(header)!;
    expect(mailto[1]).toBe("unsubscribe@example.org");
    const subject = decodeURIComponent(mailto[2]!);
    expect(subject).toMatch(/^unsubscribe [\w-]+\.[\w-]{43}$/);

    // Forged: another address in the payload, the signature kept.
    const token = subject.split(" ")[1]!;
    const [payload, signature] = token.split(".");
    const forgedPayload = Buffer.from(
      Buffer.from(payload!, "base64url").toString().replace("member@bohao", "vp@sx-mobile"),
    ).toString("base64url");
    const forged = await smtpSend(
      service.smtpPort,
      "attacker@qq.com",
      "unsubscribe@example.org",
      mailFrom("attacker@qq.com", "unsubscribe@example.org", `unsubscribe ${forgedPayload}.${signature}`),
    );
    expect(forged.at(-2)).toMatch(/^250/);
    expect((await service.deps.recipients.get("vp@sx-mobile.example.com"))!.status).toBe("active");
    expect(await service.deps.suppressions.get("vp@sx-mobile.example.com")).toBeNull();
    let forwarded: Awaited<ReturnType<typeof readSentEmails>>[number] | undefined;
    for (let i = 0; i < 50 && !forwarded; i++) {
      forwarded = (await readSentEmails(service.stack)).find((e) => e.destination.to[0] === "office@sxca.example.org");
      if (!forwarded) await new Promise((r) => setTimeout(r, 100));
    }
    expect(forwarded?.subject).toMatch(/^【退订邮箱】未能自动处理的邮件/);
    expect(forwarded?.body.text).toContain("退订凭据无效");
    expect(forwarded?.body.text).toContain("attacker@qq.com");

    // The real one, as QQ Mail sends it: the subject as the mailto gave it.
    const replies = await smtpSend(
      service.smtpPort,
      "member@qq.com",
      "unsubscribe@example.org",
      mailFrom("member@qq.com", "unsubscribe@example.org", subject, "这是一封退订邮件。"),
    );
    expect(replies.at(-2)).toMatch(/^250/);
    expect((await service.deps.recipients.get("member@bohao.example.com"))!.status).toBe("unsubscribed");
    expect(await service.deps.suppressions.get("member@bohao.example.com")).toMatchObject({
      reason: "unsubscribe",
      source: "mailto unsubscribe",
    });

    // Only the unsubscribe mailbox takes mail.
    const elsewhere = await smtpSend(
      service.smtpPort,
      "a@qq.com",
      "someone@example.org",
      mailFrom("a@qq.com", "someone@example.org", "hi"),
    );
    expect(elsewhere.at(-1)).toMatch(/^550/);
  }, 60_000);
});
