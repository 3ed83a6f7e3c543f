import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor } from "../support/cli.ts";
import { startTestService } from "../support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());

const fixture = (name: string) =>
  JSON.parse(readFileSync(`packages/core/src/events/fixtures/${name}.json`, "utf8")) as Record<string, any>;

/** An SES event of the documented shape, re-addressed to one recipient of our send and its message. */
async function eventFor(
  kind: "delivery" | "bounce-permanent" | "complaint",
  sendId: string,
  tier: string,
  email: string,
) {
  const e = structuredClone(fixture(kind));
  e.mail.messageId = (await ctx.service.deps.deliveries.getMany(sendId, [email]))[0]!.sesMessageId;
  e.mail.destination = [email];
  e.mail.tags = { ...e.mail.tags, send: [sendId], tier: [tier] };
  if (e.bounce)
    e.bounce.bouncedRecipients = [
      { emailAddress: email, action: "failed", status: "5.1.1", diagnosticCode: "smtp; 550 5.1.1 user unknown" },
    ];
  if (e.complaint) e.complaint.complainedRecipients = [{ emailAddress: email }];
  if (e.delivery) e.delivery.recipients = [email];
  return e;
}

const bulletin = (args: string[]) => cliFor(ctx, "admin")(args);

const call = (path: string, init: RequestInit = {}) =>
  ctx.api(path, {
    role: "admin",
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
  });
async function sendAll(issueId: string) {
  const { sendId } = (await (
    await call(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify({ confirmNoNumber: true }) })
  ).json()) as { sendId: string };
  for (let i = 0; i < 300; i++) {
    const s = (await (await call(`/api/sends/${sendId}`)).json()) as {
      status: string;
      totals: Record<string, number>;
      byTier: Record<string, Record<string, number>>;
    };
    if (s.status === "finished") return { sendId, ...s };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("send did not finish");
}

describe("bulletin events ingest", () => {
  it("replays SES events: delivered, bounced and complained by tier; a bad line is reported; bounced and complained addresses are skipped next time", async () => {
    const issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
    const sent = await sendAll(issueId);
    const lines = [
      await eventFor("delivery", sent.sendId, "report", "leader1@sxca.example.gov.cn"),
      await eventFor("bounce-permanent", sent.sendId, "distribute", "member@bohao.example.com"),
      await eventFor("complaint", sent.sendId, "copy", "secretariat@bj-ca.example.org"),
    ].map((e) => JSON.stringify(e));
    const file = join(mkdtempSync(join(tmpdir(), "bulletin-events-")), "events.jsonl");
    writeFileSync(file, [...lines, "{not json", lines[1]].join("\n"));
    const r = await bulletin(["events", "ingest", file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^applied 3, duplicate 1, unmatched 0, ignored 0, invalid 1$/m);
    expect(r.out).toMatch(/^ {2}4: /m);

    const after = (await (await call(`/api/sends/${sent.sendId}`)).json()) as {
      totals: Record<string, number>;
      byTier: Record<string, Record<string, number>>;
    };
    expect(after.totals).toMatchObject({ sent: 25, delivered: 1, bounced: 1, complained: 1 });
    expect(after.byTier.report!.delivered).toBe(1);
    expect(after.byTier.distribute!.bounced).toBe(1);
    expect(after.byTier.copy!.complained).toBe(1);

    const sample = readFileSync("samples/bulletins/000_72499c077e53a44e.txt", "utf8");
    const created = (await (
      await call("/api/issues", { method: "POST", headers: { "content-type": "text/plain" }, body: sample })
    ).json()) as { id: string };
    const dry = (await (
      await call(`/api/issues/${created.id}/sends`, { method: "POST", body: JSON.stringify({ dryRun: true }) })
    ).json()) as { skipped: { email: string; reason: string }[] };
    expect(dry.skipped.map((s) => s.email).sort()).toEqual([
      "member@bohao.example.com",
      "secretariat@bj-ca.example.org",
    ]);
    const next = await sendAll(created.id);
    const skipped = (await (await call(`/api/sends/${next.sendId}/deliveries?status=skipped`)).json()) as {
      items: { email: string; reason: string }[];
    };
    expect(skipped.items.map((s) => s.email).sort()).toEqual([
      "member@bohao.example.com",
      "secretariat@bj-ca.example.org",
    ]);
    expect(next.totals.sent).toBe(26);
  }, 60_000);
});

describe("bulletin events ingest, events without tags", () => {
  it("SES identity notifications and tag-less exports land on their deliveries by message id; a replay changes nothing; an unknown message is reported with the reason", async () => {
    const sample = readFileSync("samples/bulletins/000_72499c077e53a44e.txt", "utf8");
    const created = (await (
      await call("/api/issues", { method: "POST", headers: { "content-type": "text/plain" }, body: sample })
    ).json()) as { id: string };
    const sent = await sendAll(created.id);
    const [leader, member] = ["leader2@sxca.example.gov.cn", "member@ty-shiye.example.com"];
    const before = (await ctx.service.deps.deliveries.getMany(sent.sendId, [leader, member])).map((d) => d.status);
    expect(before).toEqual(["sent", "sent"]);

    // The classic identity notification (SNS from the identity, notificationType, no tags at all).
    const notification = await eventFor("delivery", sent.sendId, "report", leader);
    const { eventType: _type, ...rest } = notification;
    const identity = { ...rest, notificationType: "Delivery", mail: { ...notification.mail } };
    delete identity.mail.tags;
    // An export that kept the event type but dropped the tags.
    const exported = await eventFor("bounce-permanent", sent.sendId, "distribute", member);
    delete exported.mail.tags;
    // An event about a message this service never sent.
    const stranger = structuredClone(notification);
    stranger.mail.messageId = "0100019a-0000-0000-0000-000000000000-000000";
    delete stranger.mail.tags;

    const file = join(mkdtempSync(join(tmpdir(), "bulletin-events-")), "tagless.jsonl");
    writeFileSync(file, [identity, exported, stranger].map((e) => JSON.stringify(e)).join("\n"));
    const r = await bulletin(["events", "ingest", file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^applied 2, duplicate 0, unmatched 1, ignored 0, invalid 0$/m);
    expect(r.out).toMatch(
      /^ {2}unmatched event 3 \(Delivery 0100019a-0000-0000-0000-000000000000-000000 to leader2@sxca\.example\.gov\.cn\): no send tag, and no delivery has SES message id 0100019a-0000-0000-0000-000000000000-000000 \(not sent by the bulletin/m,
    );

    const statuses = new Map(
      (await ctx.service.deps.deliveries.getMany(sent.sendId, [leader, member])).map((d) => [d.email, d.status]),
    );
    expect(Object.fromEntries(statuses)).toEqual({ [leader]: "delivered", [member]: "bounced" });
    const after = (await (await call(`/api/sends/${sent.sendId}`)).json()) as {
      totals: Record<string, number>;
      byTier: Record<string, Record<string, number>>;
    };
    expect(after.byTier.report!.delivered).toBe(1);
    expect(after.byTier.distribute!.bounced).toBe(1);

    // The same file again: every event is a duplicate (or still unmatched), and no counter moves.
    const again = await bulletin(["events", "ingest", file]);
    expect(again.out).toMatch(/^applied 0, duplicate 2, unmatched 1, ignored 0, invalid 0$/m);
    expect(
      ((await (await call(`/api/sends/${sent.sendId}`)).json()) as { totals: Record<string, number> }).totals,
    ).toEqual(after.totals);
  }, 60_000);
});
