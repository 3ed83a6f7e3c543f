import { beforeAll, describe, expect, it } from "vitest";
import { signUnsubscribe, verifyUnsubscribe } from "@bulletin/wiring";
import { tableSnapshot } from "../support/table.ts";
import type { SharedService, TestService } from "../support/shared-service.ts";

// Tampered one-click unsubscribe tokens: every single-character change, every deletion and every
// truncation of a real token, another recipient's signature, another key, extra fields, garbage.
// packages/api/src/unsubscribe-links.test.ts checks a handful of these on verifyUnsubscribe; here all
// of them, and then over HTTP against the real service: each answers 400 and changes nothing (the
// recipient, the suppression list, the whole table), while the genuine token still works.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const KEY = "k".repeat(32);

/** Every token one edit away from `token`: each character replaced by each other one (or one per position), deleted, and each truncation. */
function tampered(token: string, allReplacements: boolean): string[] {
  const out = new Set<string>();
  for (let i = 0; i < token.length; i++) {
    const others = [...ALPHABET, "."].filter((c) => c !== token[i]);
    for (const c of allReplacements ? others : [others[(i * 7) % others.length]!])
      out.add(token.slice(0, i) + c + token.slice(i + 1));
    out.add(token.slice(0, i) + token.slice(i + 1));
    out.add(token.slice(0, i));
  }
  out.delete(token);
  return [...out];
}

function reencoded(sendId: string, email: string, signature: string) {
  return `${Buffer.from(`${sendId}\n${email}`).toString("base64url")}.${signature}`;
}

/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function tamperedTokens(shared: SharedService) {
  describe("verifyUnsubscribe", () => {
    it("refuses every token one character away from a real one (all 65 replacements at every position)", () => {
      const token = signUnsubscribe(KEY, "0b5e8a3c-6a8f-4d2e-9a51-6f0c2d7e1b94", "leader1@sxca.example.gov.cn");
      const variants = tampered(token, true);
      expect(variants.length).toBeGreaterThan(token.length * ALPHABET.length);
      const accepted = variants.filter((t) => verifyUnsubscribe(KEY, t) !== null);
      expect(accepted).toEqual([]);
      expect(verifyUnsubscribe(KEY, token)).toEqual({
        sendId: "0b5e8a3c-6a8f-4d2e-9a51-6f0c2d7e1b94",
        email: "leader1@sxca.example.gov.cn",
      });
    });

    it("refuses another recipient's signature, another key, extra fields, and garbage", () => {
      const a = signUnsubscribe(KEY, "send-1", "a@example.cn");
      const b = signUnsubscribe(KEY, "send-1", "b@example.cn");
      const [payloadA, sigA] = a.split(".") as [string, string];
      const [payloadB, sigB] = b.split(".") as [string, string];
      const refused = [
        `${payloadA}.${sigB}`,
        `${payloadB}.${sigA}`,
        signUnsubscribe("another key, just as long as ours", "send-1", "a@example.cn"),
        signUnsubscribe("", "send-1", "a@example.cn"),
        reencoded("send-1", "a@example.cn\nb@example.cn", sigA),
        `${a}.${sigA}`,
        `${payloadA}..${sigA}`,
        `${payloadA}=.${sigA}`,
        `${payloadA}.${sigA}=`,
        `${payloadA.toUpperCase()}.${sigA}`,
        `.${sigA}`,
        `${payloadA}.`,
        "",
        ".",
        "x".repeat(10_000),
        `${payloadA}.${"A".repeat(43)}`,
        "令牌.签名",
        "\u0000.\u0000",
      ];
      for (const t of refused) expect(verifyUnsubscribe(KEY, t), t.slice(0, 80)).toBeNull();
      // Signed with our key but not of our shape (three lines): refused as well.
      expect(verifyUnsubscribe(KEY, signUnsubscribe(KEY, "send-1", "a@example.cn\nextra"))).toBeNull();
    });
  });

  let ctx: TestService;
  let sendId: string;
  let email: string;
  let other: string;
  beforeAll(async () => {
    ctx = shared.ctx;
    const issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
    // A send scheduled far ahead: a real send id, and nobody is mailed.
    const res = await ctx.api(`/api/issues/${issueId}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ scheduledAt: "2099-01-01T00:00:00Z" }),
    });
    sendId = ((await res.json()) as { sendId: string }).sendId;
    [email, other] = (await ctx.service.deps.recipients.list({ limit: 2 })).items.map((r) => r.email) as [
      string,
      string,
    ];
  }, 60_000);

  const oneClick = (token: string) =>
    fetch(`${ctx.service.url}/u/${token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });

  describe("tampered tokens against the service", () => {
    it("every one-edit variant, another recipient's signature, another key: 400 with the invalid-link page, and nothing changes", async () => {
      const key = ctx.service.deps.unsubscribeKey;
      const token = signUnsubscribe(key, sendId, email);
      const [, otherSig] = signUnsubscribe(key, sendId, other).split(".") as [string, string];
      const [payload] = token.split(".") as [string];
      const variants = [
        ...tampered(token, false).filter((t) => t !== ""),
        `${payload}.${otherSig}`,
        signUnsubscribe("not the service's key, 32 chars!", sendId, email),
        reencoded(sendId, `${email}\n${other}`, token.split(".")[1]!),
        `${token}.${token}`,
        encodeURIComponent(`${payload}\n.${otherSig}`),
        `${payload}%2E${otherSig}`,
        "x".repeat(4_000),
        encodeURIComponent("令牌"),
        "%ZZ",
      ];
      const before = {
        recipient: await ctx.service.deps.recipients.get(email),
        table: await tableSnapshot(ctx.service),
      };
      expect(before.recipient?.status).toBe("active");
      for (const [i, t] of variants.entries()) {
        const res = i % 5 === 0 ? await fetch(`${ctx.service.url}/u/${t}`) : await oneClick(t);
        expect(res.status, t).toBe(400);
        expect(await res.text()).toContain("这个退订链接无效或已被改动，未做任何更改。");
      }
      expect(await ctx.service.deps.recipients.get(email)).toEqual(before.recipient);
      expect(await tableSnapshot(ctx.service)).toEqual(before.table);

      // The genuine token does unsubscribe: the checks above would have seen an accepted one.
      const genuine = await oneClick(token);
      expect(genuine.status).toBe(200);
      expect((await ctx.service.deps.recipients.get(email))?.status).toBe("unsubscribed");
      expect((await ctx.service.deps.suppressions.get(email))?.reason).toBe("unsubscribe");
      expect((await ctx.service.deps.recipients.get(other))?.status).toBe("active");
    }, 30_000);
  });
}
