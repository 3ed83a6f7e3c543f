import { refusedAsTooLarge } from "../support/too-large.ts";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../../../packages/core/src/events/fixtures.test-support.ts";
import { maybeWrapped } from "../support/ses-items.ts";
import type { SharedService, TestService } from "../support/shared-service.ts";

// Garbage to POST /api/events (the SES event replay): broken events, JSON lines, arbitrary text,
// addresses and tags SES never sends, bytes that are not UTF-8, an oversized body. Never a 5xx.
const SEED = 20251203;

let ctx: TestService;

/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function sesEventsApi(shared: SharedService) {
  beforeAll(() => {
    ctx = shared.ctx;
  });

  describe("POST /api/events with garbage", () => {
    it("answers 200 with a report that accounts for every item, or a 4xx with {error, message}; never 5xx", async () => {
      const bodies = fc.sample(
        fc.oneof(
          fc
            .array(maybeWrapped, { maxLength: 6 })
            .map((items) => ({ text: JSON.stringify(items), items: items.length })),
          fc
            .array(
              maybeWrapped.map((v) => JSON.stringify(v)),
              { minLength: 1, maxLength: 6 },
            )
            .map((lines) => ({ text: lines.join("\n"), items: -1 })),
          fc.string({ unit: "binary", maxLength: 200 }).map((text) => ({ text, items: -1 })),
        ),
        { numRuns: 40, seed: SEED },
      );
      for (const [i, { text, items }] of bodies.entries()) {
        const type = ["text/plain", "application/x-ndjson", "application/json", "text/plain; charset=utf-8"][i % 4]!;
        const res = await ctx.api("/api/events", {
          role: "admin",
          method: "POST",
          headers: { "content-type": type },
          body: text,
        });
        expect(res.status, `body ${i}: ${text.slice(0, 200)}`).toBeLessThan(500);
        const body = (await res.json()) as {
          applied: number;
          duplicate: number;
          unmatched: number;
          ignored: number;
          invalid: unknown[];
          error?: string;
          message?: string;
        };
        if (res.status !== 200) {
          expect(body).toEqual({ error: expect.any(String), message: expect.any(String) });
          continue;
        }
        if (items >= 0)
          expect(
            body.applied + body.duplicate + body.unmatched + body.ignored + body.invalid.length,
          ).toBeLessThanOrEqual(items);
      }
    });

    it("takes events whose addresses and tags are empty, huge or full of control characters without a 5xx", async () => {
      const bounce = fixture("bounce-permanent") as {
        mail: { tags: Record<string, string[]>; destination: string[] };
        bounce: { bouncedRecipients: { emailAddress: string }[] };
      };
      const variants = [
        "",
        " ",
        "x".repeat(100_000),
        "a\r\nBcc: b@example.cn",
        "\u0000",
        "\uD800@example.cn",
        "<script>@example.cn",
      ].flatMap((weird) => {
        const byAddress = structuredClone(bounce);
        byAddress.bounce.bouncedRecipients = [{ emailAddress: weird }];
        byAddress.mail.destination = [weird];
        const byTag = structuredClone(bounce);
        byTag.mail.tags = { ...byTag.mail.tags, send: [weird], tier: [weird] };
        const click = {
          ...fixture("click"),
          mail: { ...(fixture("click").mail as object), tags: { send: [weird] }, destination: [weird] },
        };
        return [byAddress, byTag, click];
      });
      for (const event of variants) {
        const res = await ctx.api("/api/events", {
          role: "admin",
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify(event),
        });
        expect(res.status, JSON.stringify(event).slice(0, 300)).toBeLessThan(500);
      }
    });

    it("refuses invalid UTF-8 and an oversized body without applying anything", async () => {
      const before = await ctx.service.deps.suppressions.list({ limit: 100 });
      const bounce = Buffer.from(
        JSON.stringify(fixture("bounce-permanent")).replace("recipient@example.cn", "garbage-utf8@example.cn"),
      );
      const broken = Buffer.concat([bounce.subarray(0, 40), Buffer.from([0xc3, 0x28]), bounce.subarray(40)]);
      const res = await ctx.api("/api/events", {
        role: "admin",
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: broken,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: "text.invalid",
        message: expect.stringMatching(/^not valid utf-8 text at byte 40 \(line 1\)/),
      });
      const huge = await refusedAsTooLarge(() =>
        ctx.api("/api/events", {
          role: "admin",
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: `${JSON.stringify(fixture("bounce-permanent"))}\n${" ".repeat(17 * 1024 * 1024)}`,
        }),
      );
      expect(["413", "closed"]).toContain(huge);
      expect(await ctx.service.deps.suppressions.list({ limit: 100 })).toEqual(before);
    });
  });
}
