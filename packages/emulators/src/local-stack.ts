import { createHash } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { javaProblem, startDynamoDbLocal } from "./dynamodb-local.ts";
import { startFauxqsServer, startSesLocal, type RunningEmulator } from "./emulators.ts";
import { waitUntilReady } from "./readiness.ts";
import type { StackConnection } from "./sdk-config.ts";
import { localSesAccount, type SesQuota } from "./ses-account.ts";

export interface LocalStackOptions {
  /** Root of persisted state; DynamoDB lives in `${dataDir}/dynamodb`. */
  dataDir: string;
  /**
   * A DynamoDB Local already running (the tests start one for the whole run): used instead of
   * starting a JVM here, with an access key of this data directory's own, which DynamoDB Local
   * keeps as a database apart. The data then lives as long as that DynamoDB Local.
   */
  dynamoUrl?: string;
  /** Wipe `dataDir` before starting. */
  fresh?: boolean;
  /** 0 (default) = any free port, for tests; `npm start` passes fixed ones. */
  dynamoPort?: number;
  sesPort?: number;
  sqsPort?: number;
  /**
   * The quota SES's GetAccount answers with. aws-ses-v2-local reads its account from the
   * AWS_SES_ACCOUNT environment variable only, so it is set there, unless the environment already
   * has one. Without either, GetAccount answers 400.
   */
  sesQuota?: SesQuota;
  /** Readiness deadline per emulator; default 15 s (DynamoDB Local's JVM gets 60 s to start). */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface LocalStack extends StackConnection {
  /** aws-ses-v2-local's web inbox, e.g. http://127.0.0.1:8005/ */
  inboxUrl: string;
  /** The JVM of the DynamoDB Local this stack started (none on a shared one): its memory is its own. */
  dynamoPid?: number;
  /** Stops every emulator and closes their sockets and LevelDB; safe to call twice. */
  stop(): Promise<void>;
}

// The emulators accept any credentials; real-looking region so ARNs and queue URLs look like AWS's.
const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Starts DynamoDB Local (a JVM, data under `dataDir/dynamodb`), aws-ses-v2-local (SES) and fauxqs
 * (SQS + SNS) inside this process, and resolves once each answers a real AWS SDK call. With
 * `dynamoUrl`, an already running DynamoDB Local is used instead of a JVM of its own.
 *
 * @example
 * const stack = await startLocalStack({ dataDir: ".data", sesPort: 8005, log: console.log });
 * const ddb = new DynamoDBClient(awsClientConfig(stack, "dynamodb"));
 * console.log(`inbox: ${stack.inboxUrl}`);
 * await stack.stop();
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const started = Date.now();
  if (opts.fresh) await rm(opts.dataDir, { recursive: true, force: true });
  const dynamoDir = join(opts.dataDir, "dynamodb");
  await mkdir(dynamoDir, { recursive: true });
  // Without Java 17 nothing is started: one clear line says what to install.
  const noJava = opts.dynamoUrl ? null : javaProblem();
  if (noJava) throw new Error(noJava);
  // Started first: the JVM takes seconds.
  const dynamoStarting = opts.dynamoUrl
    ? undefined
    : startDynamoDbLocal({ path: dynamoDir, port: opts.dynamoPort ?? 0, sharedDb: true });

  const running: RunningEmulator[] = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order, and every stop is attempted even if one fails, so nothing is left listening.
    const results = await Promise.allSettled(
      running
        .splice(0)
        .reverse()
        .map((e) => e.stop()),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  };

  try {
    const dynamo = dynamoStarting ? await track(running, "DynamoDB Local", dynamoStarting) : { url: opts.dynamoUrl! };
    if (opts.sesQuota) process.env.AWS_SES_ACCOUNT ??= localSesAccount(opts.sesQuota);
    const ses = await track(running, "aws-ses-v2-local", startSesLocal({ port: opts.sesPort ?? 0 }));
    const mq = await track(running, "fauxqs", startFauxqsServer({ port: opts.sqsPort ?? 0 }));
    const conn: StackConnection = {
      // fauxqs routes SQS and SNS by the request's protocol, so both share one endpoint.
      endpoints: { dynamodb: dynamo.url, ses: ses.url, sqs: mq.url, sns: mq.url },
      region: REGION,
      credentials: opts.dynamoUrl ? localCredentials(opts.dataDir) : { ...CREDENTIALS },
    };
    await waitUntilReady(conn, opts.readyTimeoutMs ?? 15_000);
    log(
      `emulators: dynamodb (DynamoDB Local) ${dynamo.url}, ${opts.dynamoUrl ? "shared, this data directory's own database" : `data in ${dynamoDir}`}`,
    );
    log(`emulators: ses (aws-ses-v2-local) ${ses.url}, inbox ${ses.url}/`);
    log(`emulators: sqs + sns (fauxqs) ${mq.url}`);
    log(`emulators: ready in ${Date.now() - started} ms`);
    const dynamoPid = "pid" in dynamo ? (dynamo as { pid: number }).pid : undefined;
    return { ...conn, inboxUrl: `${ses.url}/`, ...(dynamoPid ? { dynamoPid } : {}), stop: stopAll };
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }
}

/**
 * The credentials of a stack on a shared DynamoDB Local: its access key names the data directory,
 * so each stack (each test, each restart of the same DATA_DIR) finds its own database there.
 * (DynamoDB Local 2+ accepts only letters and digits in an access key.)
 *
 * @example
 * localCredentials("/tmp/bulletin-it-x").accessKeyId; // "local3f9c0a1be2d4"
 */
export function localCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const id = createHash("sha256").update(resolve(dataDir)).digest("hex").slice(0, 12);
  return { accessKeyId: `local${id}`, secretAccessKey: "local" };
}

/**
 * A LocalStack for emulators that run elsewhere (another process, another machine): the same
 * connection, nothing started, and a stop that leaves them running. SNS is reached at the SQS
 * endpoint unless given, as fauxqs serves both.
 *
 * @example
 * const stack = connectLocalStack({ dynamodb: "http://127.0.0.1:4567", sqs: "http://127.0.0.1:4568", ses: "http://127.0.0.1:8005" });
 */
export function connectLocalStack(endpoints: { dynamodb: string; sqs: string; ses: string; sns?: string }): LocalStack {
  const ses = endpoints.ses.replace(/\/+$/, "");
  return {
    endpoints: { dynamodb: endpoints.dynamodb, sqs: endpoints.sqs, sns: endpoints.sns ?? endpoints.sqs, ses },
    region: REGION,
    credentials: { ...CREDENTIALS },
    inboxUrl: `${ses}/`,
    stop: async () => {},
  };
}

/** Records a started emulator for cleanup, and names it in a start failure (e.g. port in use). */
async function track(
  running: RunningEmulator[],
  name: string,
  starting: Promise<RunningEmulator>,
): Promise<RunningEmulator> {
  try {
    const emulator = await starting;
    running.push(emulator);
    return emulator;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`emulators: ${name} failed to start (${reason})`, { cause: err });
  }
}
