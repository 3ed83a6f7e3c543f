import { join } from "node:path";
import {
  type DomainGroup,
  envReader,
  InvalidInputError,
  type MonthlySchedule,
  parseDomainRates,
  parseMonthlySchedule,
} from "@bulletin/core";

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
  throw new InvalidInputError(
    "config.missing",
    `${what} is not set: is the function linked to it in infra/? (see docs/deploy.md)`,
  );
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
  // Env values are parsed by core's envReader, as the local stack's and the deploy's are.
  const read = envReader(env, { see: "docs/deploy.md" });
  const sender = () => link("Email", "sender");
  return {
    get tableName() {
      return link("Table", "name");
    },
    get filesBucket() {
      return link("Files", "name");
    },
    get pdfjsAssets() {
      const assets = read.text("PDFJS_ASSETS");
      return assets ? join(read.text("LAMBDA_TASK_ROOT") ?? process.cwd(), assets) : undefined;
    },
    get sendQueueUrl() {
      return link("SendQueue", "url");
    },
    get dispatcherName() {
      return link("Dispatcher", "name");
    },
    get configurationSet() {
      return link("Email", "configSet");
    },
    get fromEmail() {
      return read.address("FROM_EMAIL") ?? (sender().includes("@") ? sender() : `bulletin@${sender()}`);
    },
    get unsubscribeMailto() {
      return read.address("UNSUBSCRIBE_MAILTO") ?? fail("UNSUBSCRIBE_MAILTO");
    },
    get unsubscribeKey() {
      return link("UnsubscribeKey", "value");
    },
    get sessionKey() {
      return link("SessionKey", "value");
    },
    get adminToken() {
      return link("AdminToken", "value");
    },
    get publicUrl() {
      return read.url("PUBLIC_URL") ?? fail("PUBLIC_URL (an http(s) URL)");
    },
    get sendConcurrency() {
      return read.int("SEND_CONCURRENCY", { default: 2, min: 1, max: 100 });
    },
    get senderRetrySeconds() {
      return read.duration("SENDER_RETRY_SECONDS", { default: 10, min: 1, max: 43_200 });
    },
    get monthly() {
      const spec = read.text("MONTHLY_SEND");
      return spec ? parseMonthlySchedule(spec) : undefined;
    },
    get trackEngagement() {
      return read.bool("TRACK_ENGAGEMENT", true);
    },
    get transientBouncesToSuppress() {
      return read.int("TRANSIENT_BOUNCES_TO_SUPPRESS", { default: 3, min: 1, max: 100 });
    },
    get inboundBucket() {
      return read.text("INBOUND_BUCKET") ?? fail("INBOUND_BUCKET");
    },
    get unsubscribeForwardTo() {
      return read.address("UNSUBSCRIBE_FORWARD_TO") ?? fail("UNSUBSCRIBE_FORWARD_TO");
    },
    get domainGroups() {
      return parseDomainRates(read.text("DOMAIN_RATES"));
    },
  } as AwsConfig;
}
