import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import { startTestService } from "../support/service.ts";

// The issue's "done when", end to end on the local stack with live events: the mailer publishes what
// SES would (Send, Delivery, the mailbox simulator's Bounce and Complaint) to the SNS topic on
// fauxqs; the queue subscribed to it feeds the one event handler.
let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService({ LOCAL_SES_EVENTS: "on", SEND_RATE: "50" });
});
afterAll(async () => ctx?.service.stop());

type Status = { status: string; totals: Record<string, number>; byTier: Record<string, Record<string, number>> };
const call = (path: string, init: RequestInit = {}) =>
  ctx.api(path, {
    role: "admin",
    ...init,
    headers: { "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) },
  });

/** Sends to every tier; resolves once the send is finished and no delivery waits for its SES events. */
/** Sends the issue and waits until every delivery has its SES report, and `until` holds (a complaint follows its delivery). */
async function sendAndSettle(
  issueId: string,
  until: (s: Status) => boolean = () => true,
): Promise<Status & { sendId: string }> {
  const { sendId } = (await (
    await call(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify({ confirmNoNumber: true }) })
  ).json()) as { sendId: string };
  for (let i = 0; i < 400; i++) {
    const s = (await (await call(`/api/sends/${sendId}`)).json()) as Status;
    if (s.status === "finished" && s.totals.sent === 0 && s.totals.sending === 0 && until(s)) return { sendId, ...s };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("send did not settle");
}

const SIMULATOR = [
  "success@simulator.amazonses.com,模拟成功,SES 邮箱模拟器,report,测试",
  "bounce@simulator.amazonses.com,模拟退信,SES 邮箱模拟器,distribute,测试",
  "complaint@simulator.amazonses.com,模拟投诉,SES 邮箱模拟器,copy,测试",
];

describe("live SES events on the local stack", () => {
  it("a send to the sample plus three simulator addresses ends delivered / bounced / complained per tier; the next send skips the bounced and complained", async () => {
    const imported = await call("/api/recipients/import", {
      method: "POST",
      headers: { "content-type": "text/csv" },
      body: ["email,name,organization,tier,role", ...SIMULATOR].join("\n"),
    });
    expect(((await imported.json()) as { created: number }).created).toBe(3);
    const issueId = (await ctx.service.deps.issues.list()).items[0]!.id;

    const first = await sendAndSettle(issueId, (s) => (s.totals.bounced ?? 0) >= 1 && (s.totals.complained ?? 0) >= 1);
    expect(first.totals).toMatchObject({ delivered: 29, bounced: 1, complained: 1, failed: 0, unknown: 0 });
    expect(first.byTier.report).toMatchObject({ delivered: 9, bounced: 0, complained: 0 });
    expect(first.byTier.distribute).toMatchObject({ delivered: 12, bounced: 1 });
    expect(first.byTier.copy).toMatchObject({ delivered: 8, complained: 1 });
    const bounced = (await (await call(`/api/sends/${first.sendId}/deliveries?status=bounced`)).json()) as {
      items: { email: string; reason?: string }[];
    };
    expect(bounced.items).toEqual([
      expect.objectContaining({ email: "bounce@simulator.amazonses.com", reason: "smtp; 550 5.1.1 user unknown" }),
    ]);

    // The dashboard's per-tier table says the same, for a signed-in viewer.
    const signIn = await fetch(`${ctx.service.url}/admin/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: ctx.tokens.viewer }),
    });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (await fetch(`${ctx.service.url}/admin/sends/${first.sendId}`, { headers: { cookie } })).text();
    const cell = (tier: string, status: string) =>
      new RegExp(`<tr data-tier="${tier}">.*?<td class="num" data-status="${status}">(\\d+)</td>`, "s").exec(page)?.[1];
    expect([
      cell("report", "delivered"),
      cell("distribute", "delivered"),
      cell("distribute", "bounced"),
      cell("copy", "delivered"),
      cell("copy", "complained"),
    ]).toEqual(["9", "12", "1", "8", "1"]);

    // Opens are counted apart from the status: every distinct event, and each delivery once.
    const open = JSON.parse(readFileSync("packages/core/src/events/fixtures/open.json", "utf8")) as {
      mail: Record<string, unknown>;
      open: Record<string, string>;
    };
    const messageId = (await ctx.service.deps.deliveries.getMany(first.sendId, ["secretariat@bj-ca.example.org"]))[0]!
      .sesMessageId;
    open.mail = {
      ...open.mail,
      messageId,
      destination: ["secretariat@bj-ca.example.org"],
      tags: { send: [first.sendId], tier: ["copy"] },
    };
    // Two opens an hour apart, and the first one replayed: the replay changes nothing.
    const later = { ...open, open: { ...open.open, timestamp: "2025-09-01T11:00:00.000Z" } };
    const opened = await call("/api/events", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: [open, later, open].map((e) => JSON.stringify(e)).join("\n"),
    });
    expect(await opened.json()).toMatchObject({ applied: 2, duplicate: 1 });
    const engaged = (await (await call(`/api/sends/${first.sendId}`)).json()) as Status & {
      engagement: Record<string, Record<string, number>>;
    };
    expect(engaged.engagement.copy).toMatchObject({ opened: 2, openedFirst: 1, clicked: 0 });
    expect(engaged.totals.delivered).toBe(29);

    // Both went on the suppression list with the event that put them there.
    const list = (await (await call("/api/suppressions")).json()) as {
      items: { email: string; reason: string; detail?: string; source?: string }[];
    };
    expect(list.items.map((s) => [s.email, s.reason]).sort()).toEqual([
      ["bounce@simulator.amazonses.com", "bounce"],
      ["complaint@simulator.amazonses.com", "complaint"],
    ]);
    expect(list.items.find((s) => s.reason === "bounce")).toMatchObject({
      detail: "General",
      source: expect.stringContaining(first.sendId),
    });

    const next = await sendAndSettle(await createIssue());
    const skipped = (await (await call(`/api/sends/${next.sendId}/deliveries?status=skipped`)).json()) as {
      items: { email: string; reason: string }[];
    };
    expect(skipped.items.map((s) => [s.email, s.reason]).sort()).toEqual([
      ["bounce@simulator.amazonses.com", "bounced"],
      ["complaint@simulator.amazonses.com", "complained"],
    ]);
    expect(next.totals).toMatchObject({ delivered: 29, skipped: 2, bounced: 0, complained: 0 });
    // Two sends' worth of mail reached the local inbox, none of it twice to one address per send.
    expect((await readSentEmails(ctx.service.stack)).length).toBe(31 + 29);
  }, 90_000);

  it("an admin lifts a suppression: logged with the token's label, the bounced recipient is active again; viewers may only read", async () => {
    const viewerLift = await ctx.api("/api/suppressions/bounce@simulator.amazonses.com", {
      method: "DELETE",
      role: "viewer",
    });
    expect(viewerLift.status).toBe(403);
    const lift = await call("/api/suppressions/bounce@simulator.amazonses.com", { method: "DELETE" });
    expect(lift.status).toBe(200);
    expect(await lift.json()).toMatchObject({
      email: "bounce@simulator.amazonses.com",
      reason: "bounce",
      liftedBy: expect.any(String),
      recipientReactivated: true,
    });
    const log = (await (
      await ctx.api("/api/suppressions/bounce@simulator.amazonses.com", { role: "viewer" })
    ).json()) as { suppression: unknown; lifts: unknown[] };
    expect(log).toMatchObject({ suppression: null, lifts: [expect.objectContaining({ reason: "bounce" })] });
    expect((await call("/api/suppressions/bounce@simulator.amazonses.com", { method: "DELETE" })).status).toBe(404);
    expect((await call("/api/suppressions/never@example.cn")).status).toBe(404);
    expect((await ctx.service.deps.recipients.get("bounce@simulator.amazonses.com"))!.status).toBe("active");

    const manual = await call("/api/suppressions", {
      method: "POST",
      body: JSON.stringify({ email: "Office@CACE.example.org", detail: "秘书处要求暂停" }),
    });
    expect(await manual.json()).toMatchObject({
      suppressed: true,
      suppression: { email: "office@cace.example.org", reason: "manual", detail: "秘书处要求暂停" },
    });
    expect(
      (await call("/api/suppressions", { method: "POST", body: JSON.stringify({ email: "not an address" }) })).status,
    ).toBe(400);
  });
});

async function createIssue(): Promise<string> {
  const sample = readFileSync("samples/bulletins/000_72499c077e53a44e.txt", "utf8");
  const created = (await (
    await call("/api/issues", { method: "POST", headers: { "content-type": "text/plain" }, body: sample })
  ).json()) as { id: string };
  return created.id;
}
