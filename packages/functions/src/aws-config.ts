import { join } from "node:path";
import { type DomainGroup, InvalidInputError, type MonthlySchedule, parseDomainRates, parseMonthlySchedule } from "@bulletin/core";

/** A linked resource's properties, as SST hands them over (`Resource.<Name>`). */
export type Links = Record<string, Record<string, unknown> | undefined>;

/** Everything the Lambda handlers read from SST links and env, read once per container, here only. */
export interface AwsConfig {
  tableName: string;
  /** The bucket of the original PDFs and uploads. */
  filesBucket: string;
  /** Where the function carries PDF.js's character maps and fonts (PDFJS_ASSETS, under the task root). */
  pdfjsAssets: string | undefined;
  sendQueueUrl: string;
  /** The Lambda function the api and the scheduler invoke to dispatch a send. */
  dispatcherName: string;
  configurationSet: string;
  fromEmail: string;
  unsubscribeMailto: string;
  unsubscribeKey: string;
  sessionKey: string;
  adminToken: string;
  publicUrl: string;
  /** Concurrent senders (the queue's maximum concurrency); each takes this share of the SES rate. */
  sendConcurrency: number;
  /** SENDER_RETRY_SECONDS (default 10): how soon a batch the sender handed back is tried again. */
  senderRetrySeconds: number;
  monthly?: MonthlySchedule;
  trackEngagement: boolean;
  transientBouncesToSuppress: number;
  /** INBOUND_BUCKET: the bucket SES receiving stores unsubscribe mail in. */
  inboundBucket: string;
  /** UNSUBSCRIBE_FORWARD_TO: where an unsubscribe mail that unsubscribes nobody is forwarded. */
  unsubscribeForwardTo: string;
  /** DOMAIN_RATES (from BULLETIN_DOMAIN_RATES): the per-domain limits; QQ and NetEase at 3000/h by default. */
  domainGroups: DomainGroup[];
}

const fail = (what: string): never => {
  throw new InvalidInputError("config.missing", `${what} is not set: is the function linked to it in infra/? (see docs/deploy.md)`);
};

/**
 * Reads the handler config from SST's resource links and the function's env. Each value is read
 * when first asked for, so a function linked to less (the sender needs no session key) still
 * starts, and one missing what it needs fails at once with the name of what is missing.
 *
 * @example
 * const config = readAwsConfig(Resource as unknown as Links, process.env);
 * config.tableName; // "bulletin-production-TableTable-abc"
 */
export function readAwsConfig(links: Links, env: NodeJS.ProcessEnv): AwsConfig {
  const link = (name: string, prop: string): string => {
    let value: unknown;
    try {
      value = links[name]?.[prop];
    } catch {
      // SST's Resource proxy throws for a resource that is not linked.
    }
    return typeof value === "string" && value !== "" ? value : fail(`Resource.${name}.${prop}`);
  };
  const url = (name: string): string => {
    const v = (env[name] ?? "").replace(/\/+$/, "");
    if (!/^https?:\/\/\S+$/.test(v)) fail(`${name} (an http(s) URL)`);
    return v;
  };
  const whole = (name: string, fallback: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidInputError("config.number", `${name} must be a whole number from 1 to ${max}, not "${raw}"`);
    return n;
  };
  const sender = () => link("Email", "sender");
  return {
    get tableName() { return link("Table", "name"); },
    get filesBucket() { return link("Files", "name"); },
    get pdfjsAssets() { return env.PDFJS_ASSETS ? join(env.LAMBDA_TASK_ROOT ?? process.cwd(), env.PDFJS_ASSETS) : undefined; },
    get sendQueueUrl() { return link("SendQueue", "url"); },
    get dispatcherName() { return link("Dispatcher", "name"); },
    get configurationSet() { return link("Email", "configSet"); },
    get fromEmail() { return env.FROM_EMAIL || (sender().includes("@") ? sender() : `bulletin@${sender()}`); },
    get unsubscribeMailto() { return env.UNSUBSCRIBE_MAILTO || fail("UNSUBSCRIBE_MAILTO"); },
    get unsubscribeKey() { return link("UnsubscribeKey", "value"); },
    get sessionKey() { return link("SessionKey", "value"); },
    get adminToken() { return link("AdminToken", "value"); },
    get publicUrl() { return url("PUBLIC_URL"); },
    get sendConcurrency() { return whole("SEND_CONCURRENCY", 2, 100); },
    get senderRetrySeconds() { return whole("SENDER_RETRY_SECONDS", 10, 43_200); },
    get monthly() { return env.MONTHLY_SEND ? parseMonthlySchedule(env.MONTHLY_SEND) : undefined; },
    get trackEngagement() { return !/^(off|false|0|no)$/i.test(env.TRACK_ENGAGEMENT ?? ""); },
    get transientBouncesToSuppress() { return whole("TRANSIENT_BOUNCES_TO_SUPPRESS", 3, 100); },
    get inboundBucket() { return env.INBOUND_BUCKET || fail("INBOUND_BUCKET"); },
    get unsubscribeForwardTo() { return env.UNSUBSCRIBE_FORWARD_TO || fail("UNSUBSCRIBE_FORWARD_TO"); },
    get domainGroups() { return parseDomainRates(env.DOMAIN_RATES || undefined); },
  } as AwsConfig;
}
