import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { type ApiDeps, createApp } from "@bulletin/api";
import { settingsRenderer, systemClock } from "@bulletin/core";
import { dropTable, dynamoStores, ensureTable } from "@bulletin/dynamo";
import { connectLocalStack, type LocalStack, startLocalStack } from "@bulletin/emulators";
import { MjmlRenderer } from "@bulletin/mjml";
import { PdfJsReader } from "@bulletin/pdf";
import { serve } from "@hono/node-server";
import { ensureAdminToken } from "./admin-token.ts";
import { LocalFileStore } from "./local-files.ts";
import { localSecret } from "./local-secret.ts";
import {
  documentClient,
  dynamoClient,
  eventWiring,
  processUnsubscribeMail,
  readiness,
  sesClient,
  sesMailer,
  sqsClient,
  type ClientSettings,
} from "@bulletin/wiring";
import { startUnsubscribeSmtp } from "./unsubscribe-smtp.ts";
import { startEventPipeline } from "./event-pipeline.ts";
import { startSendPipeline } from "./send-pipeline.ts";
import type { LocalConfig } from "./local-config.ts";
import { seedSamples } from "./seed-samples.ts";

export interface LocalService {
  url: string;
  inboxUrl: string;
  /** Where the unsubscribe mailbox listens (SMTP, 127.0.0.1). */
  smtpPort: number;
  adminToken: string;
  /** What the first start loaded; absent on later starts. */
  seeded?: { recipients: number; issueId: string };
  stack: LocalStack;
  deps: ApiDeps;
  stop(): Promise<void>;
}

// What the local SES's GetAccount answers: a sandbox-like 14/s, so the pacing reads the rate from
// SES as it does on AWS.
const LOCAL_SES_QUOTA = { maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 };

/**
 * Starts the whole service on this machine: the emulators, the table, the repositories, the Hono app
 * on @hono/node-server — the same code as on AWS, with only the endpoints changed. The first start
 * (no admin token yet) loads the sample recipients and bulletin.
 *
 * @example
 * const service = await startLocalService(readLocalConfig(process.env, []), console.log);
 * await service.stop();
 */
export async function startLocalService(
  config: LocalConfig,
  log: (line: string) => void = () => {},
): Promise<LocalService> {
  if (config.fresh) await rm(config.dataDir, { recursive: true, force: true });
  mkdirSync(config.dataDir, { recursive: true });
  let pipelineStop: (() => Promise<void>) | undefined;
  // Listen first, answering 503 until the app is ready: the real port (PORT=0 picks one) is then
  // known before any link is made, and /healthz says "starting" instead of refusing connections.
  let handle: (req: Request) => Response | Promise<Response> = () =>
    new Response('{"status":"starting"}', { status: 503 });
  const server = await listen((req) => handle(req), config.port);
  if (config.publicUrl === "http://localhost:0") config = { ...config, publicUrl: `http://localhost:${server.port}` };
  const starting = config.emulators
    ? startLocalStack({
        dataDir: config.dataDir,
        sesPort: config.sesPort,
        dynamoPort: config.dynamoPort,
        sqsPort: config.sqsPort,
        sesQuota: LOCAL_SES_QUOTA,
        ...(config.dynamoUrl ? { dynamoUrl: config.dynamoUrl } : {}),
        log,
      })
    : Promise.resolve(
        connectLocalStack({ dynamodb: config.dynamoEndpoint!, sqs: config.sqsEndpoint!, ses: config.sesEndpoint! }),
      );
  const stack = await starting.catch(async (e: unknown) => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  });
  try {
    // The same clients as on AWS (@bulletin/wiring), pointed at the emulators (or the BULLETIN_*_ENDPOINTs).
    const clients: ClientSettings = {
      region: stack.region,
      credentials: stack.credentials,
      endpoints: {
        dynamodb: config.dynamoEndpoint ?? stack.endpoints.dynamodb,
        ses: stack.endpoints.ses,
        sqs: stack.endpoints.sqs,
      },
    };
    const client = documentClient(clients);
    const probes = { dynamodb: dynamoClient(clients), ses: sesClient(clients), sqs: sqsClient(clients) };
    // On a DynamoDB Local of its own the data directory was wiped; on a shared one the table goes.
    if (config.fresh && config.dynamoUrl) await dropTable(client, config.tableName);
    await ensureTable(client, config.tableName, { pollMs: 20 });
    const { tokens, suppressions, ...repos } = dynamoStores({
      client,
      tableName: config.tableName,
      domainGroups: config.domainGroups,
    });
    // Renders with the association's settings as stored (the 设置 page), today's defaults until then.
    const stores = {
      ...repos,
      renderer: settingsRenderer(repos.settings, (s) => new MjmlRenderer(s), systemClock),
      clock: systemClock,
    };
    const unsubscribeKey = localSecret(config.dataDir, "unsubscribe-key", config.unsubscribeKey);
    const events = await startEventPipeline(stack, log);
    pipelineStop = events.stop;
    const files = new LocalFileStore(join(config.dataDir, "files"), {
      publicUrl: config.publicUrl,
      key: localSecret(config.dataDir, "upload-key", undefined),
    });
    const pipeline = await startSendPipeline(
      stack,
      config,
      unsubscribeKey,
      { ...stores, files, suppressed: (emails) => suppressions.suppressed(emails) },
      config.simulateSesEvents ? events : undefined,
      log,
    );
    pipelineStop = async () => {
      await pipeline.stop();
      await events.stop();
    };
    const deps: ApiDeps = {
      ...stores,
      files,
      pdf: new PdfJsReader(),
      tokens,
      queue: pipeline.queue,
      dispatch: pipeline.dispatch,
      unsubscribeKey,
      unsubscribeMailto: config.unsubscribeMailto,
      suppressions,
      sessionKey: localSecret(config.dataDir, "session-key", config.sessionKey),
      ...eventWiring({ ...stores, suppressions }, systemClock, {
        trackEngagement: config.trackEngagement,
        transientBouncesToSuppress: config.transientBouncesToSuppress,
        domainGroups: config.domainGroups,
      }),
      publicUrl: config.publicUrl,
      // aws-ses-v2-local has no identities (no GetEmailIdentity) and signs nothing: DKIM is not checked here.
      sender: { fromEmail: config.fromEmail, identity: { dkim: async () => ({ status: "local" }) }, localStack: true },
      domainGroups: config.domainGroups,
      newId: () => randomUUID(),
      ready: readiness({ ...probes, tableName: config.tableName, queueUrl: pipeline.queueUrl }),
    };
    // Live SES events (SNS → queue → the one handler), whether simulated here or published by hand.
    events.consume(deps.applyEvent);
    // Mail to the List-Unsubscribe mailbox: what SES receiving does on AWS (the unsubscribe-mail handler).
    const forwardMailer = sesMailer(probes.ses, systemClock);
    const smtp = await startUnsubscribeSmtp({
      port: config.smtpPort,
      mailbox: config.unsubscribeMailto,
      dir: join(config.dataDir, "inbound"),
      log,
      process: async (raw, storedAt) => {
        const r = await processUnsubscribeMail(raw, {
          stores: { recipients: stores.recipients, suppressions },
          clock: systemClock,
          unsubscribeKey,
          mailer: forwardMailer,
          fromEmail: config.fromEmail,
          forwardTo: config.unsubscribeForwardTo,
          storedAt,
        });
        return r.outcome === "unsubscribed"
          ? `${r.email} unsubscribed (mailto)`
          : `forwarded to ${config.unsubscribeForwardTo}: ${r.reason}`;
      },
    });
    const stopPipeline = pipelineStop;
    pipelineStop = async () => {
      await smtp.stop();
      await stopPipeline();
    };
    const firstStart = !(await deps.tokens.hasAdmin());
    const adminToken = await ensureAdminToken(deps.tokens, config.dataDir, config.adminToken, systemClock.now());
    const seeded = firstStart ? await seedSamples(deps) : undefined;
    // Uploads go to a signed URL of the service itself, where S3's presigned URLs go on AWS.
    const app = createApp(deps);
    app.route("/", files.uploadRoutes());
    handle = app.fetch;
    const url = `http://localhost:${server.port}`;
    return {
      url,
      inboxUrl: stack.inboxUrl,
      smtpPort: smtp.port,
      adminToken,
      ...(seeded ? { seeded } : {}),
      stack,
      deps,
      stop: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await pipelineStop?.();
        client.destroy();
        for (const probe of Object.values(probes)) probe.destroy();
        await stack.stop();
      },
    };
  } catch (e) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pipelineStop?.();
    await stack.stop();
    throw e;
  }
}

/** Serves the app; resolves with the port once listening (0 picks a free one, for tests). */
function listen(fetch: (req: Request) => Response | Promise<Response>, port: number) {
  return new Promise<{ port: number; close(cb: () => void): void }>((resolve, reject) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info) =>
      resolve({ port: info.port, close: (cb) => server.close(() => cb()) }),
    );
    server.once("error", reject);
  });
}
