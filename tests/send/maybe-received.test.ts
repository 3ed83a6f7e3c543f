import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import { startTestService } from "../support/service.ts";

// A delivery that ended "unknown" (SES may have accepted it) makes its address "maybe received": a
// later plain send of the issue skips it, the dry run and the dashboard's audience page show it
// apart (with the risk, in Chinese), and a send that includes them mails them.
let ctx: Awaited<ReturnType<typeof startTestService>>;
const json = { "content-type": "application/json" };
const AT = "2026-01-01T00:00:00.000Z";
const MAYBE = "leader1@sxca.example.gov.cn";
let issueId: string;

async function sendAndWait(body: object): Promise<string> {
  const res = await ctx.api(`/api/issues/${issueId}/sends`, {
    role: "secretariat",
    method: "POST",
    headers: json,
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(202);
  const { sendId } = (await res.json()) as { sendId: string };
  for (let i = 0; i < 300; i++) {
    if (
      ((await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string }).status ===
      "finished"
    )
      return sendId;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the send did not finish");
}
const mailsTo = async (email: string) =>
  (await readSentEmails(ctx.service.stack)).filter((m) => m.destination.to[0] === email).length;

beforeAll(async () => {
  ctx = await startTestService();
  issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
  // An earlier real send of the issue whose call to MAYBE lost its sender: claimed, never settled,
  // then swept ("unknown"), exactly as a crash during the SES call leaves it.
  const res = await ctx.api(`/api/issues/${issueId}/sends`, {
    role: "secretariat",
    method: "POST",
    headers: json,
    body: JSON.stringify({ only: [MAYBE], resend: true, scheduledAt: "2099-01-01T00:00:00.000Z" }),
  });
  const { sendId } = (await res.json()) as { sendId: string };
  const { sends, deliveries } = ctx.service.deps;
  await sends.transition(sendId, ["scheduled"], "sending");
  await deliveries.add([
    { sendId, email: MAYBE, tier: "report", status: "queued", attempts: 0, createdAt: AT, updatedAt: AT },
  ]);
  expect(await deliveries.claim(sendId, "report", [MAYBE], AT)).toEqual([MAYBE]);
  expect(await deliveries.markStale(sendId, "2026-01-02T00:00:00.000Z", AT)).toBe(1);
}, 60_000);
afterAll(() => ctx?.service.stop());

describe("maybe received", () => {
  it("the dry run lists the address apart and skips it", async () => {
    const dry = (await (
      await ctx.api(`/api/issues/${issueId}/sends`, {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: JSON.stringify({ dryRun: true }),
      })
    ).json()) as { counts: Record<string, number>; maybeReceived: string[]; skipped: unknown[] };
    expect(dry.maybeReceived).toEqual([MAYBE]);
    expect(dry.skipped).toContainEqual({
      email: MAYBE,
      tier: "report",
      reason: "maybe received this issue (an earlier send ended unknown)",
    });
    const including = (await (
      await ctx.api(`/api/issues/${issueId}/sends`, {
        role: "secretariat",
        method: "POST",
        headers: json,
        body: JSON.stringify({ dryRun: true, includeMaybeReceived: true }),
      })
    ).json()) as { counts: Record<string, number>; maybeReceived: string[] };
    expect(including.maybeReceived).toEqual([MAYBE]);
    expect(including.counts.report).toBe(dry.counts.report! + 1);
  });

  it("the dashboard's audience page shows them apart, with the risk in Chinese; the send form offers the option", async () => {
    const login = await fetch(`${ctx.service.url}/admin/login`, {
      method: "POST",
      body: new URLSearchParams({ token: ctx.tokens.secretariat }),
      redirect: "manual",
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const page = await (
      await fetch(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}/audience`, { headers: { cookie } })
    ).text();
    expect(page).toContain("可能已收到的收件人（1）");
    expect(page).toMatch(/data-audience="maybe-risk"[^>]*>[^<]*可能会收到两份/);
    expect(page).toMatch(/<table data-audience="maybe">[\s\S]*leader1@sxca\.example\.gov\.cn[\s\S]*<\/table>/);
    const issuePage = await (
      await fetch(`${ctx.service.url}/admin/issues/${encodeURIComponent(issueId)}`, { headers: { cookie } })
    ).text();
    expect(issuePage).toMatch(/name="includeMaybeReceived"[^>]*\/> 也发给可能已收到的人（他们可能收到两份）/);
  });

  it("a plain send skips them; a send that includes them mails them, once", async () => {
    await sendAndWait({});
    expect(await mailsTo(MAYBE)).toBe(0);
    expect(await mailsTo("office@cace.example.org")).toBe(1);
    await sendAndWait({ includeMaybeReceived: true });
    expect(await mailsTo(MAYBE)).toBe(1);
    expect(await mailsTo("office@cace.example.org")).toBe(1);
  });
});
