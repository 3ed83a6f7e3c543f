import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import type { OutgoingEmail } from "@bulletin/core";
import { awsClientConfig, readSentEmails, startLocalStack, type LocalStack } from "@bulletin/emulators";
import { SesMailer } from "@bulletin/ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type Fault } from "./support/fault-proxy.ts";

const email: OutgoingEmail = {
  from: "bulletin@example.org",
  to: "ann@example.org",
  subject: "May bulletin",
  html: "<p>Hello</p>",
  text: "Hello",
  headers: [],
  tags: { send: "send-1" },
};

/** What one plain HTTP request through the proxy came back as: a status, "reset" or "timeout". */
async function outcome(url: string, timeoutMs = 3_000): Promise<string> {
  try {
    const res = await fetch(`${url}/health-check`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return String(res.status);
  } catch (err) {
    return (err as Error).name === "TimeoutError" ? "timeout" : "reset";
  }
}

describe("fault proxy in front of aws-ses-v2-local", () => {
  let dataDir: string;
  let stack: LocalStack;
  const clients: SESv2Client[] = [];
  const sesVia = (endpoint: string) => {
    const c = new SESv2Client({
      ...awsClientConfig(stack, "ses"),
      endpoint,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "fault-proxy-"));
    stack = await startLocalStack({ dataDir, dynamoUrl: process.env.LOCAL_DYNAMODB_URL });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("forwards everything at rate 0, so SES calls work through it", async () => {
    const proxy = await startFaultProxy({ target: stack.endpoints.ses });
    const { messageId } = await new SesMailer({ client: sesVia(proxy.url) }).send(email);
    expect((await readSentEmails(stack)).map((m) => m.messageId)).toContain(messageId);
    expect(proxy.stats).toMatchObject({ requests: 1, forwarded: 1 });
    await proxy.stop();
  });

  it("answers a throttle the SDK maps to TooManyRequestsException, which SesMailer calls throttled", async () => {
    const proxy = await startFaultProxy({ target: stack.endpoints.ses, rate: 1, faults: ["throttle"] });
    const err = await new SesMailer({ client: sesVia(proxy.url) }).send(email).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: "throttled",
      cause: { name: "TooManyRequestsException", $metadata: { httpStatusCode: 429 } },
    });
    await proxy.stop();
  });

  it("injects the same faults for the same seed, at about the chosen rate", async () => {
    const faults: Fault[] = ["throttle", "error500", "error503", "reset"];
    const run = async (seed: number) => {
      const proxy = await startFaultProxy({ target: stack.endpoints.ses, rate: 0.5, faults, seed });
      const seen: string[] = [];
      for (let i = 0; i < 40; i += 1) seen.push(await outcome(proxy.url));
      const stats = structuredClone(proxy.stats);
      await proxy.stop();
      return { seen, stats };
    };
    const a = await run(42);
    const b = await run(42);
    const c = await run(43);
    expect(b.seen).toEqual(a.seen);
    expect(c.seen).not.toEqual(a.seen);
    expect(new Set(a.seen)).toEqual(new Set(["200", "429", "500", "503", "reset"]));
    expect(a.stats.forwarded).toBe(a.seen.filter((s) => s === "200").length);
    expect(a.stats.forwarded).toBeGreaterThan(10);
    expect(a.stats.forwarded).toBeLessThan(30);
  });

  it("holds a timed-out request until the client gives up, and stop() closes what it still holds", async () => {
    const proxy = await startFaultProxy({ target: stack.endpoints.ses, rate: 1, faults: ["timeout"] });
    expect(await outcome(proxy.url, 150)).toBe("timeout");
    const pending = fetch(`${proxy.url}/health-check`).then(
      () => "answered",
      () => "closed",
    );
    await new Promise((r) => setTimeout(r, 50));
    await proxy.stop();
    expect(await pending).toBe("closed");
    expect(proxy.stats.faults.timeout).toBe(2);
  });

  it("only ever talks to loopback, and checks its settings", async () => {
    for (const target of [
      "http://example.org:80",
      "http://10.0.0.8:4566",
      "https://127.0.0.1:443",
      "http://127.0.0.1",
    ]) {
      await expect(startFaultProxy({ target })).rejects.toThrow(/loopback/);
    }
    await expect(startFaultProxy({ target: stack.endpoints.ses, rate: 1.5 })).rejects.toThrow(/rate/);
    await expect(startFaultProxy({ target: stack.endpoints.ses, faults: [] })).rejects.toThrow(/faults/);
    const proxy = await startFaultProxy({ target: "http://localhost:1" });
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await outcome(proxy.url)).toBe("reset"); // nothing listens on 127.0.0.1:1
    await proxy.stop();
  });
});
