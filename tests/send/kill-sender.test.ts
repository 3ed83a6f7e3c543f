import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDocumentClient, DynamoDeliveryLedger } from "@bulletin/dynamo";
import { localCredentials, readSentEmails, startLocalStack, type LocalStack } from "@bulletin/emulators";

// The sender runs in `npm start`'s process; this test kills it with SIGKILL mid-send and starts it
// again. Its SES is this test's own emulator (BULLETIN_SES_ENDPOINT), which outlives the kill, so
// every email that really went out is counted.
const dataDir = mkdtempSync(join(tmpdir(), "bulletin-kill-"));
let ses: LocalStack;
let child: ChildProcess | undefined;
let childLog = "";
afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await ses?.stop();
});

function start(dir = dataDir, rate = "40"): Promise<{ url: string; token: string }> {
  child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: {
      ...process.env,
      PORT: "0",
      LOCAL_SES_PORT: "0",
      DATA_DIR: dir,
      SEND_RATE: rate,
      LOCAL_SES_EVENTS: "off",
      BULLETIN_SES_ENDPOINT: ses.endpoints.ses,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child!.stdout!.on("data", (d) => {
      out += String(d);
      const url = /Health\s+(http:\/\/\S+)\/healthz/.exec(out)?.[1];
      const token = /Admin token\s+(\S+)/.exec(out)?.[1];
      if (url && token && out.includes("Ctrl-C")) resolve({ url, token });
    });
    child!.stderr!.on("data", (d) => {
      out += String(d);
      childLog += String(d);
    });
    child!.once("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}):\n${out}`)));
  });
}

describe("a sender killed mid-send", () => {
  it("never mails anyone twice: after a restart every recipient ends sent exactly once, or unknown with a reason", async () => {
    ses = await startLocalStack({
      dataDir: mkdtempSync(join(tmpdir(), "bulletin-kill-ses-")),
      dynamoUrl: process.env.LOCAL_DYNAMODB_URL,
    });
    let { url, token } = await start();
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(init.headers as Record<string, string> | undefined),
        },
      });
    const csv = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", "200", "--seed", "5"], {
      encoding: "utf8",
    }).stdout;
    const imported = (await (
      await call("/api/recipients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv })
    ).json()) as { created: number };
    expect(imported.created).toBe(200);
    const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
    const { sendId } = (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as {
      sendId: string;
    };

    // Kill it once some, but not all, have gone out.
    for (let i = 0; i < 200 && (await readSentEmails(ses)).length < 40; i++)
      await new Promise((r) => setTimeout(r, 50));
    child!.kill("SIGKILL");
    await new Promise((r) => child!.once("exit", r));
    const beforeRestart = (await readSentEmails(ses)).length;
    expect(beforeRestart).toBeGreaterThanOrEqual(40);
    expect(beforeRestart).toBeLessThan(228);

    ({ url, token } = await start(dataDir, "100"));
    let status: {
      status: string;
      totals: Record<"queued" | "sending" | "sent" | "unknown" | "failed" | "skipped", number>;
    } = { status: "", totals: { queued: 0, sending: 0, sent: 0, unknown: 0, failed: 0, skipped: 0 } };
    for (let i = 0; i < 300 && status.status !== "finished"; i++) {
      status = (await (await call(`/api/sends/${sendId}`)).json()) as typeof status;
      if (status.status !== "finished") await new Promise((r) => setTimeout(r, 100));
    }
    if (status.status !== "finished") console.log("STUCK", JSON.stringify(status.totals), childLog);
    expect(status.status).toBe("finished");

    const sent = (await readSentEmails(ses)).map((e) => e.destination.to[0]!);
    expect(new Set(sent).size).toBe(sent.length); // nobody mailed twice
    const { totals } = status;
    expect(totals.queued + totals.sending).toBe(0);
    expect(totals.sent + totals.unknown + totals.failed + totals.skipped).toBe(228);
    // Every email SES accepted is recorded sent, or unknown (cut off between SES and the record).
    expect(totals.sent).toBeLessThanOrEqual(sent.length);
    expect(sent.length).toBeLessThanOrEqual(totals.sent + totals.unknown);
    const unknown = (await (await call(`/api/sends/${sendId}/deliveries?status=unknown&limit=100`)).json()) as {
      items: { reason?: string }[];
    };
    for (const d of unknown.items) expect(d.reason).toMatch(/\S/);
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  }, 90_000);

  it("SIGTERM drains within 5 s: nothing more is claimed, the calls on the wire are settled, the rest stays queued; the next start finishes with nobody unknown", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bulletin-term-"));
    const before = (await readSentEmails(ses)).length;
    let { url, token } = await start(dir, "14");
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...(init.headers as Record<string, string> | undefined),
        },
      });
    const csv = spawnSync(process.execPath, ["tests/support/gen-recipients.mjs", "150", "--seed", "6"], {
      encoding: "utf8",
    }).stdout;
    expect(
      (await call("/api/recipients/import", { method: "POST", headers: { "content-type": "text/csv" }, body: csv }))
        .status,
    ).toBe(200);
    const issueId = ((await (await call("/api/issues")).json()) as { items: { id: string }[] }).items[0]!.id;
    const { sendId } = (await (await call(`/api/issues/${issueId}/sends`, { method: "POST", body: "{}" })).json()) as {
      sendId: string;
    };
    for (let i = 0; i < 400 && (await readSentEmails(ses)).length < before + 30; i++)
      await new Promise((r) => setTimeout(r, 50));

    const asked = Date.now();
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
    const drainMs = Date.now() - asked;
    console.log(`SIGTERM to exit: ${drainMs} ms`);
    expect(drainMs).toBeLessThan(5_000);
    const client = createDocumentClient({
      region: "us-east-1",
      endpoint: process.env.LOCAL_DYNAMODB_URL!,
      credentials: localCredentials(dir),
    });
    const { totals } = await new DynamoDeliveryLedger({ client, tableName: "bulletin" }).totals(sendId);
    client.destroy();
    expect(totals.sending).toBe(0);
    expect(totals.queued).toBeGreaterThan(0);

    ({ url, token } = await start(dir, "100"));
    let status = { status: "", totals: { sent: 0, unknown: 0 } };
    for (let i = 0; i < 300 && status.status !== "finished"; i++) {
      status = (await (await call(`/api/sends/${sendId}`)).json()) as typeof status;
      if (status.status !== "finished") await new Promise((r) => setTimeout(r, 100));
    }
    expect(status.status).toBe("finished");
    expect(status.totals).toMatchObject({ sent: 178, unknown: 0 });
    const mine = (await readSentEmails(ses)).slice(before).map((e) => e.destination.to[0]!);
    expect(mine).toHaveLength(178);
    expect(new Set(mine).size).toBe(178);
    child!.kill("SIGTERM");
    await new Promise((r) => child!.once("exit", r));
  }, 90_000);
});
