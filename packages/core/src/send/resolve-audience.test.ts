import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Recipient } from "../audience/recipient.ts";
import { TIERS, type Tier } from "../issue/issue-schema.ts";
import type { Page } from "../paging.ts";
import type { RecipientQuery } from "../audience/recipient-repo.ts";
import { InMemoryRecipientRepo } from "../testing/in-memory-recipient-repo.ts";
import { resolveAudience } from "./resolve-audience.ts";
import type { SendRequest } from "./send-model.ts";
import type { CopyLedger, CopyState } from "./send-ports.ts";

const T0 = "2025-05-01T00:00:00.000Z";
const r = (email: string, tier: Tier, over: Partial<Recipient> = {}): Recipient => ({
  email,
  name: `名${email[0]}`,
  organization: "山西移动",
  tier,
  role: "会员",
  status: "active",
  createdAt: T0,
  updatedAt: T0,
  ...over,
});
const real = (over: Partial<SendRequest> = {}): SendRequest => ({
  tiers: [...TIERS],
  test: false,
  resend: false,
  ...over,
});
/** A CopyLedger that knows, for one issue, who got it and who maybe did. */
const copiesOf = (states: Record<string, CopyState> = {}, forIssue = "issue-1"): CopyLedger => ({
  received: async (id, emails) =>
    new Map(id === forIssue ? emails.flatMap((e): [string, CopyState][] => (states[e] ? [[e, states[e]]] : [])) : []),
});

/** A repo with one address in several tiers (future multi-tier data): list by tier returns it under each. */
class MultiTierRepo extends InMemoryRecipientRepo {
  constructor(private readonly entries: Recipient[]) {
    super([]);
  }
  override async list(query: RecipientQuery = {}): Promise<Page<Recipient>> {
    return {
      items: this.entries.filter((e) => query.tier === undefined || e.tier === query.tier).map((e) => ({ ...e })),
    };
  }
  override async getMany(emails: readonly string[]): Promise<Map<string, Recipient>> {
    const out = new Map<string, Recipient>();
    for (const e of emails) {
      const best = this.entries
        .filter((x) => x.email === e)
        .sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier))[0];
      if (best) out.set(e, { ...best });
    }
    return out;
  }
}

describe("resolveAudience", () => {
  const issueId = "issue-1";

  it("takes the chosen tiers, sorted by tier rank then email, paging through the repo", async () => {
    const many = Array.from({ length: 2500 }, (_, i) =>
      r(`p${String(i).padStart(4, "0")}@example.cn`, TIERS[i % 3] as Tier),
    );
    const recipients = new InMemoryRecipientRepo(many);
    const { targets, skipped } = await resolveAudience({
      issueId,
      request: real({ tiers: ["copy", "report"] }),
      recipients,
      copies: copiesOf(),
    });
    expect(skipped).toEqual([]);
    expect(targets.length).toBe(many.filter((m) => m.tier !== "distribute").length);
    expect(targets.slice(0, 2).map((t) => t.tier)).toEqual(["report", "report"]);
    expect(targets.at(-1)?.tier).toBe("copy");
    const sorted = [...targets].sort(
      (a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier) || a.email.localeCompare(b.email),
    );
    expect(targets).toEqual(sorted);
    expect(targets[0]).toEqual({ email: "p0000@example.cn", tier: "report", name: "名p", organization: "山西移动" });
  });

  it("an empty tier list is nobody, not everybody", async () => {
    const recipients = new InMemoryRecipientRepo([r("a@example.cn", "report")]);
    expect(await resolveAudience({ issueId, request: real({ tiers: [] }), recipients, copies: copiesOf() })).toEqual({
      targets: [],
      skipped: [],
      maybeReceived: [],
    });
  });

  it("gives an address in two tiers only its highest tier", async () => {
    const recipients = new MultiTierRepo([
      r("a@example.cn", "copy"),
      r("a@example.cn", "report"),
      r("b@example.cn", "copy"),
      r("b@example.cn", "distribute"),
    ]);
    const { targets } = await resolveAudience({ issueId, request: real(), recipients, copies: copiesOf() });
    expect(targets.map((t) => [t.email, t.tier])).toEqual([
      ["a@example.cn", "report"],
      ["b@example.cn", "distribute"],
    ]);
  });

  it("with `only`: those addresses once each, normalised; a test send at the chosen tier, a real one at their own; non-recipients per send kind", async () => {
    const recipients = new InMemoryRecipientRepo([r("a@example.cn", "copy"), r("b@example.cn", "report")]);
    const only = ["A@Example.cn", "a@example.cn", " b@example.cn ", "x@example.cn", "not-an-address"];
    const test = await resolveAudience({
      issueId,
      request: real({ only, test: true, tiers: ["copy", "report"] }),
      recipients,
      copies: copiesOf(),
    });
    expect(test.targets).toEqual([
      { email: "a@example.cn", tier: "copy", name: "名a", organization: "山西移动" },
      { email: "b@example.cn", tier: "copy", name: "名b", organization: "山西移动" },
      { email: "x@example.cn", tier: "copy", name: "", organization: "" },
    ]);
    expect(test.skipped).toEqual([
      { email: "not-an-address", tier: "copy", reason: "invalid address: email has no @" },
    ]);

    const realSend = await resolveAudience({
      issueId,
      request: real({ only, tiers: [] }),
      recipients,
      copies: copiesOf(),
    });
    expect(realSend.targets.map((t) => t.email)).toEqual(["b@example.cn", "a@example.cn"]);
    expect(realSend.skipped).toContainEqual({ email: "x@example.cn", tier: "distribute", reason: "not a recipient" });
  });

  it("with `only` and multi-tier data, the address still goes once at its highest tier", async () => {
    const recipients = new MultiTierRepo([r("a@example.cn", "copy"), r("a@example.cn", "distribute")]);
    const { targets } = await resolveAudience({
      issueId,
      request: real({ only: ["a@example.cn", "A@example.cn"] }),
      recipients,
      copies: copiesOf(),
    });
    expect(targets).toEqual([{ email: "a@example.cn", tier: "distribute", name: "名a", organization: "山西移动" }]);
  });

  it("skips unsubscribed, bounced, complained and suppressed addresses with the reason", async () => {
    const recipients = new InMemoryRecipientRepo([
      r("a@example.cn", "report", { status: "unsubscribed" }),
      r("b@example.cn", "distribute", { status: "bounced" }),
      r("c@example.cn", "copy", { status: "complained" }),
      r("d@example.cn", "copy"),
      r("e@example.cn", "copy"),
    ]);
    let asked: readonly string[] = [];
    const suppressed = async (emails: readonly string[]) => {
      asked = emails;
      return new Set(["d@example.cn"]);
    };
    const { targets, skipped } = await resolveAudience({
      issueId,
      request: real(),
      recipients,
      copies: copiesOf(),
      suppressed,
    });
    expect(targets.map((t) => t.email)).toEqual(["e@example.cn"]);
    expect(skipped).toEqual([
      { email: "a@example.cn", tier: "report", reason: "unsubscribed" },
      { email: "b@example.cn", tier: "distribute", reason: "bounced" },
      { email: "c@example.cn", tier: "copy", reason: "complained" },
      { email: "d@example.cn", tier: "copy", reason: "suppressed" },
    ]);
    // Only the addresses still in the running are checked against the suppression list.
    expect([...asked].sort()).toEqual(["d@example.cn", "e@example.cn"]);
  });

  it("one copy per person per issue: real sends skip who already received it; tests and `only`+resend do not", async () => {
    const recipients = new InMemoryRecipientRepo([r("a@example.cn", "report"), r("b@example.cn", "report")]);
    const copies = copiesOf({ "a@example.cn": "received" });

    const again = await resolveAudience({ issueId, request: real(), recipients, copies });
    expect(again.targets.map((t) => t.email)).toEqual(["b@example.cn"]);
    expect(again.skipped).toEqual([{ email: "a@example.cn", tier: "report", reason: "already received this issue" }]);

    const test = await resolveAudience({
      issueId,
      request: real({ test: true, only: ["a@example.cn"] }),
      recipients,
      copies,
    });
    expect(test.targets.map((t) => t.email)).toEqual(["a@example.cn"]);

    const resend = await resolveAudience({
      issueId,
      request: real({ only: ["a@example.cn"], resend: true }),
      recipients,
      copies,
    });
    expect(resend.targets.map((t) => t.email)).toEqual(["a@example.cn"]);

    // `resend` without `only` is not a licence to mail everybody twice.
    const wholeResend = await resolveAudience({ issueId, request: real({ resend: true }), recipients, copies });
    expect(wholeResend.skipped.map((s) => s.email)).toEqual(["a@example.cn"]);
  });

  it("maybe received (an earlier delivery ended unknown): skipped unless the send includes them, and listed apart either way", async () => {
    const recipients = new InMemoryRecipientRepo([
      r("a@example.cn", "report"),
      r("m@example.cn", "report"),
      r("n@example.cn", "copy"),
    ]);
    const copies = copiesOf({ "a@example.cn": "received", "m@example.cn": "maybe" });
    const plain = await resolveAudience({ issueId, request: real(), recipients, copies });
    expect(plain.targets.map((t) => t.email)).toEqual(["n@example.cn"]);
    expect(plain.skipped).toEqual([
      { email: "a@example.cn", tier: "report", reason: "already received this issue" },
      { email: "m@example.cn", tier: "report", reason: "maybe received this issue (an earlier send ended unknown)" },
    ]);
    expect(plain.maybeReceived).toEqual(["m@example.cn"]);
    const including = await resolveAudience({
      issueId,
      request: real({ includeMaybeReceived: true }),
      recipients,
      copies,
    });
    expect(including.targets.map((t) => t.email)).toEqual(["m@example.cn", "n@example.cn"]);
    expect(including.skipped.map((s) => s.email)).toEqual(["a@example.cn"]);
    expect(including.maybeReceived).toEqual(["m@example.cn"]);
  });

  it("property: every address of the chosen tiers ends up exactly once, targeted or skipped", async () => {
    const status = fc.constantFrom("active", "active", "unsubscribed", "bounced", "complained") as fc.Arbitrary<
      Recipient["status"]
    >;
    const entry = fc.record({
      local: fc.constantFrom("a", "b", "c", "d", "e", "f"),
      tier: fc.constantFrom(...TIERS),
      status,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 15 }),
        fc.subarray([...TIERS]),
        fc.subarray(["a", "b", "c"]),
        async (entries, tiers, received) => {
          const list = entries.map((e) => r(`${e.local}@example.cn`, e.tier, { status: e.status }));
          const copies = copiesOf(Object.fromEntries(received.map((l) => [`${l}@example.cn`, "received" as const])));
          const { targets, skipped } = await resolveAudience({
            issueId,
            request: real({ tiers }),
            recipients: new MultiTierRepo(list),
            copies,
          });
          const all = [...targets, ...skipped].map((x) => x.email);
          expect(new Set(all).size).toBe(all.length);
          const expected = new Set(list.filter((l) => tiers.includes(l.tier)).map((l) => l.email));
          expect(new Set(all)).toEqual(expected);
          for (const t of targets) {
            const best = list
              .filter((l) => l.email === t.email && tiers.includes(l.tier))
              .map((l) => TIERS.indexOf(l.tier));
            expect(TIERS.indexOf(t.tier)).toBe(Math.min(...best));
            expect(received.map((l) => `${l}@example.cn`)).not.toContain(t.email);
          }
        },
      ),
    );
  });
});
