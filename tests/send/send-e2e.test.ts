import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import { hashToken, newTokenSecret } from "@bulletin/api";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";
import { freePort } from "../support/free-port.ts";

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});
afterAll(async () => {
  for (const r of running.splice(0).reverse()) await r.stop();
});

async function start(
  env: Record<string, string> = {},
): Promise<{ service: LocalService; api: (path: string, init?: RequestInit) => Promise<Response> }> {
  const dataDir = mkdtempSync(join(tmpdir(), "bulletin-send-"));
  const service = await startLocalService(
    readLocalConfig(
      {
        LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
        PORT: "0",
        LOCAL_SES_PORT: "0",
        DATA_DIR: dataDir,
        SEND_RATE: "50",
        LOCAL_SES_EVENTS: "off",
        ...env,
      },
      [],
    ),
  );
  running.push(service);
  const token = newTokenSecret();
  await service.deps.tokens.create({
    hash: hashToken(token),
    role: "secretariat",
    label: "test secretariat",
    createdAt: new Date().toISOString(),
  });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${service.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        ...(init.headers as Record<string, string> | undefined),
      },
    });
  return { service, api };
}

async function sendAndWait(api: (p: string, i?: RequestInit) => Promise<Response>, issueId: string, body: object = {}) {
  const res = await api(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  const { sendId } = (await res.json()) as { sendId: string };
  for (let i = 0; i < 300; i++) {
    const s = (await (await api(`/api/sends/${sendId}`)).json()) as {
      status: string;
      totals: Record<string, number>;
      byTier: Record<string, Record<string, number>>;
      total: number;
    };
    if (s.status === "finished" || s.status === "paused" || s.status === "cancelled") return { sendId, ...s };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the send did not finish in 30 s");
}

const firstIssue = async (api: (p: string) => Promise<Response>) =>
  ((await (await api("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;

describe("sending the sample issue on the local stack", () => {
  it("mails every sample recipient exactly once, with its tier's wording and the unsubscribe headers; a second send mails nobody", async () => {
    const { service, api } = await start();
    const issueId = await firstIssue(api);
    const done = await sendAndWait(api, issueId);
    expect(done.status).toBe("finished");
    expect(done.totals.sent).toBe(28);
    expect(done.byTier.report!.sent).toBe(8);
    expect(done.byTier.distribute!.sent).toBe(12);
    expect(done.byTier.copy!.sent).toBe(8);

    const emails = await readSentEmails(service.stack);
    const to = emails.map((e) => e.destination.to[0]!);
    expect(to).toHaveLength(28);
    expect(new Set(to).size).toBe(28);
    const byAddress = new Map(emails.map((e) => [e.destination.to[0]!, e]));
    expect(byAddress.get("leader1@sxca.example.gov.cn")!.subject).toBe("【报送】通信行业简报 2025年第5期（示例）");
    expect(byAddress.get("vp@sx-mobile.example.com")!.subject).toBe("通信行业简报 2025年第5期（示例）");
    const copy = [...byAddress.values()].find((e) => e.subject.startsWith("【抄送】"))!;
    expect(copy.body.html).toContain("“抄送”名单");
    const headers = new Map(copy.headers!.map((h) => [h.name, h.value]));
    expect(headers.get("List-Unsubscribe")).toMatch(
      /^<http:\/\/localhost:\d+\/u\/[\w-]+\.[\w-]+>, <mailto:unsubscribe@example\.org\?subject=unsubscribe%20[\w-]+\.[\w-]+>$/,
    );
    expect(headers.get("List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");

    const again = await sendAndWait(api, issueId);
    expect(again.totals).toMatchObject({ sent: 0, skipped: 28 });
    expect(await readSentEmails(service.stack)).toHaveLength(28);
    const skipped = (await (await api(`/api/sends/${again.sendId}/deliveries?status=skipped&limit=5`)).json()) as {
      items: { reason: string }[];
    };
    expect(skipped.items[0]!.reason).toBe("already received this issue");
  }, 60_000);

  it("a test send goes only to the given addresses, marked 【测试】, each with the chosen tier's email, and does not count as the real send", async () => {
    const { service, api } = await start();
    const issueId = await firstIssue(api);
    const test = await sendAndWait(api, issueId, {
      tiers: ["distribute"],
      only: ["leader1@sxca.example.gov.cn", "someone@else.example.net"],
      test: true,
    });
    expect(test.totals.sent).toBe(2);
    expect((await readSentEmails(service.stack)).map((e) => e.subject).sort()).toEqual([
      "【测试】通信行业简报 2025年第5期（示例）",
      "【测试】通信行业简报 2025年第5期（示例）",
    ]);
    const real = await sendAndWait(api, issueId, { tiers: ["report"] });
    expect(real.totals.sent).toBe(8);
  }, 60_000);

  it("a send scheduled for later waits, then goes out on time; an issue can be marked ready for the monthly send", async () => {
    const { service, api } = await start();
    const issueId = await firstIssue(api);
    const at = new Date(Date.now() + 1500).toISOString();
    const res = await api(`/api/issues/${issueId}/sends`, {
      method: "POST",
      body: JSON.stringify({ tiers: ["report"], scheduledAt: at }),
    });
    expect(await res.json()).toMatchObject({ status: "scheduled" });
    expect(await readSentEmails(service.stack)).toHaveLength(0);
    const { sendId } = (
      (await (await api(`/api/issues/${issueId}/sends`)).json()) as { items: { id: string }[] }
    ).items.map((s) => ({ sendId: s.id }))[0]!;
    let status = "";
    for (let i = 0; i < 150 && status !== "finished"; i++) {
      status = ((await (await api(`/api/sends/${sendId}`)).json()) as { status: string }).status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe("finished");
    expect(await readSentEmails(service.stack)).toHaveLength(8);
    const ready = await api(`/api/issues/${issueId}/ready`, { method: "POST", body: JSON.stringify({ ready: true }) });
    expect(((await ready.json()) as { readyAt?: string }).readyAt).toMatch(/^\d{4}-/);
  }, 60_000);

  it("with SES throttling half the calls, every recipient is sent exactly once", async () => {
    const sesPort = await freePort();
    const proxy: FaultProxy = await startFaultProxy({
      target: `http://127.0.0.1:${sesPort}`,
      rate: 0.5,
      faults: ["throttle"],
      operations: ["SendBulkEmail"],
      seed: 7,
    });
    running.push(proxy);
    const { service, api } = await start({ LOCAL_SES_PORT: String(sesPort), BULLETIN_SES_ENDPOINT: proxy.url });
    const done = await sendAndWait(api, await firstIssue(api));
    // Three calls (one per tier), some of them throttled and tried again.
    expect(proxy.stats.faults.throttle).toBeGreaterThan(0);
    expect(done.status).toBe("finished");
    expect(done.totals).toMatchObject({ sent: 28, failed: 0, unknown: 0, queued: 0, sending: 0 });
    const to = (await readSentEmails(service.stack)).map((e) => e.destination.to[0]);
    expect(to).toHaveLength(28);
    expect(new Set(to).size).toBe(28);
  }, 60_000);
});
