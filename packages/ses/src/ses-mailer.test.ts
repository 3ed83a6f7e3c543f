import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { AmbiguousSendError, fromHeader, InvalidInputError, MailError, type OutgoingEmail } from "@bulletin/core";
import {
  awsClientConfig,
  localSesAccount,
  readSentEmails,
  startLocalStack,
  type LocalStack,
} from "@bulletin/emulators";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultProxy } from "../../../tests/support/fault-proxy.ts";
import { decodeTagValue } from "./message-tags.ts";
import { SesMailer } from "./ses-mailer.ts";

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: "bulletin@example.org",
  to: "ann@example.org",
  subject: "Bulletin de mai · 五月会刊",
  html: "<p>Bonjour Ann</p>",
  text: "Bonjour Ann",
  headers: [
    {
      name: "List-Unsubscribe",
      value: "<https://example.org/u/tok123>, <mailto:unsubscribe@example.org?subject=tok123>",
    },
    { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
  ],
  tags: { issue: "2025-05", send: "send-1", tier: "members", recipient: "ann@example.org" },
  configurationSet: "bulletin-events",
  ...over,
});

/** aws-ses-v2-local's GetAccount answers only when AWS_SES_ACCOUNT holds an account of this shape. */
const localAccount = (max24HourSend: number) => localSesAccount({ maxSendRate: 14, max24HourSend, sentLast24Hours: 3 });

describe("SesMailer against aws-ses-v2-local", () => {
  let dataDir: string;
  let stack: LocalStack;
  let proxy: FaultProxy;
  const clients: SESv2Client[] = [];
  /** Request bodies the direct client sent, captured after serialization. */
  const sentBodies: string[] = [];
  const client = (endpoint?: string) => {
    const c = new SESv2Client({
      ...awsClientConfig(stack, "ses"),
      ...(endpoint ? { endpoint } : {}),
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true },
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "ses-mailer-"));
    stack = await startLocalStack({ dataDir, dynamoUrl: process.env.LOCAL_DYNAMODB_URL });
    proxy = await startFaultProxy({ target: stack.endpoints.ses, seed: 7 });
  });

  afterAll(async () => {
    for (const c of clients) c.destroy();
    await proxy?.stop();
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
    delete process.env.AWS_SES_ACCOUNT;
  });

  it("delivers with the List-Unsubscribe headers in the stored email and the raw MIME, and sends the tags", async () => {
    const direct = client();
    direct.middlewareStack.add(
      (next) => async (args) => {
        const body = (args.request as { body?: unknown }).body;
        sentBodies.push(typeof body === "string" ? body : new TextDecoder().decode(body as Uint8Array));
        return next(args);
      },
      { step: "finalizeRequest", name: "captureBody" },
    );
    const { messageId } = await new SesMailer({ client: direct }).send(email());

    const stored = (await readSentEmails(stack)).find((m) => m.messageId === messageId);
    expect(stored).toMatchObject({
      from: "bulletin@example.org",
      subject: "Bulletin de mai · 五月会刊",
      destination: { to: ["ann@example.org"] },
    });
    expect(stored?.body).toEqual({ html: "<p>Bonjour Ann</p>", text: "Bonjour Ann" });
    expect(stored?.headers).toEqual([
      {
        name: "List-Unsubscribe",
        value: "<https://example.org/u/tok123>, <mailto:unsubscribe@example.org?subject=tok123>",
      },
      { name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click" },
    ]);
    // The raw MIME: /get-emlContent answers { messageId, fileName, body: <Buffer as JSON> }.
    const eml = (await (await fetch(`${stack.endpoints.ses}/get-emlContent?messageId=${messageId}`)).json()) as {
      body: { data: number[] };
    };
    const mime = Buffer.from(eml.body.data).toString("utf8");
    expect(mime).toContain("List-Unsubscribe: <https://example.org/u/tok123>,");
    expect(mime).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

    // aws-ses-v2-local does not store tags or the configuration set: check what went over the wire.
    const request = JSON.parse(sentBodies.at(-1)!) as {
      EmailTags: { Name: string; Value: string }[];
      ConfigurationSetName: string;
      Content: { Simple: { Subject: { Charset: string } } };
    };
    expect(request.ConfigurationSetName).toBe("bulletin-events");
    expect(request.Content.Simple.Subject.Charset).toBe("UTF-8");
    expect(request.EmailTags).toEqual([
      { Name: "issue", Value: "2025-05" },
      { Name: "send", Value: "send-1" },
      { Name: "tier", Value: "members" },
      { Name: "recipient", Value: "ann_40example_2Eorg" },
    ]);
    expect(decodeTagValue(request.EmailTags[3]!.Value)).toBe("ann@example.org");
  });

  it("carries embedded photos as inline attachments with their content ids, and refuses a content id that could break the MIME", async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70]);
    const attachments = [{ contentId: "figure-1@bulletin", fileName: "1.jpg", contentType: "image/jpeg", bytes: jpeg }];
    const { messageId } = await new SesMailer({ client: client() }).send(
      email({ html: '<img src="cid:figure-1@bulletin" alt="会议现场">', attachments }),
    );
    const stored = (await readSentEmails(stack)).find((m) => m.messageId === messageId) as unknown as {
      attachments: {
        content: string;
        contentType: string;
        filename: string;
        contentId: string;
        contentDisposition: string;
      }[];
    };
    expect(stored.attachments).toEqual([
      expect.objectContaining({
        contentType: "image/jpeg",
        filename: "1.jpg",
        contentId: "figure-1@bulletin",
        contentDisposition: "INLINE",
      }),
    ]);
    expect(Buffer.from(stored.attachments[0]!.content, "base64")).toEqual(Buffer.from(jpeg));
    await expect(
      new SesMailer({ client: client() }).send(
        email({ attachments: [{ ...attachments[0]!, contentId: "x>\r\nBcc: y@example.net" }] }),
      ),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("sends the sender's name encoded on the From line and the Reply-To; the raw MIME carries both", async () => {
    const from = fromHeader("山西省通信行业协会秘书处", "bulletin@example.org");
    const { messageId } = await new SesMailer({ client: client() }).send(
      email({ from, replyTo: "office@sxca.example.org" }),
    );
    const stored = (await readSentEmails(stack)).find((m) => m.messageId === messageId);
    expect(stored).toMatchObject({ from, replyTo: ["office@sxca.example.org"] });
    const eml = (await (await fetch(`${stack.endpoints.ses}/get-emlContent?messageId=${messageId}`)).json()) as {
      body: { data: number[] };
    };
    // Unfolded (a header may go on over lines that start with a space).
    const mime = Buffer.from(eml.body.data)
      .toString("utf8")
      .replace(/\r\n(?=[ \t])/g, "");
    const fromLine = /^From: (.+)$/m.exec(mime)?.[1] ?? "";
    // A mail reader decodes the encoded-word back to the Chinese name. (The emulator writes the MIME
    // with nodemailer, which puts the encoded-word SES takes in quotes; SES itself parses it.)
    const words = [...fromLine.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/gi)]
      .map((m) => Buffer.from(m[1]!, "base64").toString("utf8"))
      .join("");
    expect(words).toBe("山西省通信行业协会秘书处");
    expect(fromLine).toMatch(/<bulletin@example\.org>/);
    expect(mime).toMatch(/^Reply-To: office@sxca\.example\.org/m);
  });

  it("refuses CR/LF in a header or the subject before calling SES", async () => {
    const mailer = new SesMailer({ client: client() });
    const before = (await readSentEmails(stack)).length;
    const injected = [
      email({
        headers: [{ name: "List-Unsubscribe", value: "<https://example.org/u/x>\r\nBcc: everyone@example.org" }],
      }),
      email({ headers: [{ name: "X-Evil\nBcc", value: "x" }] }),
      email({ subject: "May\nBcc: everyone@example.org" }),
      email({ from: "秘书处\r\nBcc: everyone@example.org <bulletin@example.org>" }),
      email({ replyTo: "office@example.org, everyone@example.org" }),
    ];
    for (const bad of injected) await expect(mailer.send(bad)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(mailer.send(email({ headers: [{ name: "Subject", value: "forged" }] }))).rejects.toThrow(/set by SES/);
    expect(await readSentEmails(stack)).toHaveLength(before);
  });

  it.each([
    ["throttle", "throttled", /TooManyRequestsException: Maximum sending rate exceeded/],
    ["error500", "transient", /InternalServiceErrorException/],
    ["error503", "transient", /Unknown/],
  ] as const)("classifies a %s from the fault proxy as %s", async (fault, kind, message) => {
    proxy.configure({ rate: 1, faults: [fault] });
    const err = await new SesMailer({ client: client(proxy.url) }).send(email()).catch((e: unknown) => e);
    proxy.configure({ rate: 0 });
    expect(err).toBeInstanceOf(MailError);
    expect(err).toMatchObject({ kind, message: expect.stringMatching(message) });
    expect(proxy.stats.faults[fault]).toBe(1);
  });

  it.each([
    ["reset", /ECONNRESET/],
    ["timeout", /ETIMEDOUT/],
  ] as const)(
    "calls a %s from the fault proxy ambiguous (SES may have accepted it), so it is never retried",
    async (fault, message) => {
      proxy.configure({ rate: 1, faults: [fault] });
      const err = await new SesMailer({ client: client(proxy.url) }).send(email()).catch((e: unknown) => e);
      proxy.configure({ rate: 0 });
      expect(err).toBeInstanceOf(AmbiguousSendError);
      expect(err).toMatchObject({ message: expect.stringMatching(message) });
      expect(proxy.stats.faults[fault]).toBe(1);
    },
  );

  it("classifies what aws-ses-v2-local rejects (an empty From) as rejected, with its reason", async () => {
    // aws-ses-v2-local 2.10.2 does not validate SendEmail recipients ("not-an-address" is accepted);
    // it rejects a missing From, subject or body with an untyped 400.
    const mailer = new SesMailer({ client: client() });
    await expect(mailer.send(email({ to: "not-an-address" }))).resolves.toHaveProperty("messageId");
    const err = await mailer.send(email({ from: "" })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: "rejected", message: expect.stringContaining("Must have a from email address") });
  });

  it("awaits ready() once the request is built and before it reaches SES; if ready() throws, nothing is sent and its error is the call's", async () => {
    proxy.configure({ rate: 0 });
    const mailer = new SesMailer({ client: client(proxy.url) });
    const before = proxy.stats.requests;
    let requestsWhenReady = -1;
    let release!: () => void;
    const pending = mailer.send(email(), {
      ready: () => {
        requestsWhenReady = proxy.stats.requests;
        return new Promise<void>((r) => (release = r));
      },
    });
    await new Promise((r) => setTimeout(r, 100));
    // Called, and while it has not resolved nothing has reached SES.
    expect(requestsWhenReady).toBe(before);
    expect(proxy.stats.requests).toBe(before);
    release();
    await expect(pending).resolves.toHaveProperty("messageId");
    expect(proxy.stats.requests).toBe(before + 1);

    class NoToken extends Error {}
    const err = await mailer
      .send(email(), { ready: () => Promise.reject(new NoToken("stopped")) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoToken);
    expect(proxy.stats.requests).toBe(before + 1);
  });

  it("reads the quota from GetAccount when AWS_SES_ACCOUNT is set, cached for quotaTtlMs", async () => {
    let now = Date.parse("2025-05-20T08:00:00Z");
    const clock = { now: () => new Date(now) };
    delete process.env.AWS_SES_ACCOUNT;
    expect(await new SesMailer({ client: client() }).quota()).toBeNull(); // the emulator answers 400

    process.env.AWS_SES_ACCOUNT = localAccount(50_000);
    const mailer = new SesMailer({ client: client(), quotaTtlMs: 60_000, clock });
    const [a, b] = await Promise.all([mailer.quota(), mailer.quota()]);
    expect(a).toEqual({ max24HourSend: 50_000, maxSendRate: 14, sentLast24Hours: 3 });
    expect(b).toEqual(a);
    process.env.AWS_SES_ACCOUNT = localAccount(80_000);
    now += 59_000;
    expect((await mailer.quota())?.max24HourSend).toBe(50_000);
    now += 2_000;
    expect((await mailer.quota())?.max24HourSend).toBe(80_000);
  });
});
