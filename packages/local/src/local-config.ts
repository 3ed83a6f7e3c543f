import { InvalidInputError, type MonthlySchedule, parseMonthlySchedule } from "@bulletin/core";

/** The local deployable's configuration: read once, here, and nowhere else. */
export interface LocalConfig {
  port: number;
  sesPort: number;
  publicUrl: string;
  dataDir: string;
  fresh: boolean;
  /** BULLETIN_ADMIN_TOKEN, when set: the admin token to accept (otherwise one is generated). */
  adminToken?: string;
  tableName: string;
  /** The From of the bulletin: FROM_EMAIL (default bulletin@example.org). */
  fromEmail: string;
  /** The mailbox in List-Unsubscribe: UNSUBSCRIBE_MAILTO (default unsubscribe@example.org). */
  unsubscribeMailto: string;
  /** SEND_RATE, emails per second; default: the SES account's rate (14/s locally). */
  sendRate?: number;
  /** BULLETIN_SES_ENDPOINT: send through another SES endpoint (e.g. a fault-injecting proxy in tests). */
  sesEndpoint?: string;
  /** LOCAL_DYNAMODB_PORT, LOCAL_SQS_PORT (default 0, a free port): where DynamoDB Local and fauxqs listen. */
  dynamoPort: number;
  sqsPort: number;
  /**
   * LOCAL_DYNAMODB_URL: a DynamoDB Local already running, used instead of starting one (a JVM) in
   * this process; the data of this DATA_DIR is kept apart there under an access key of its own. The
   * tests start one for the whole run and hand it to every service this way.
   */
  dynamoUrl?: string;
  /** BULLETIN_DYNAMODB_ENDPOINT: the table's DynamoDB endpoint, instead of the local DynamoDB Local (e.g. a fault-injecting proxy in tests). */
  dynamoEndpoint?: string;
  /** BULLETIN_SQS_ENDPOINT: the send queue's SQS endpoint, instead of the local fauxqs (e.g. a fault-injecting proxy in tests). */
  sqsEndpoint?: string;
  /**
   * LOCAL_EMULATORS (default on): start DynamoDB Local, fauxqs and aws-ses-v2-local in this process. "off"
   * starts none and uses BULLETIN_DYNAMODB_ENDPOINT, BULLETIN_SQS_ENDPOINT (SQS and SNS, as fauxqs
   * serves both) and BULLETIN_SES_ENDPOINT, which must then all be set: emulators already running
   * elsewhere, so that their memory and CPU are not this process's (the scale benchmark does this).
   */
  emulators: boolean;
  /** UNSUBSCRIBE_KEY: the HMAC key of unsubscribe links; default generated once into DATA_DIR. */
  unsubscribeKey?: string;
  /** SESSION_KEY: the HMAC key of dashboard sessions; default generated once into DATA_DIR. */
  sessionKey?: string;
  /** TRACK_ENGAGEMENT (default on): count SES Open and Click events; "off" ignores them. */
  trackEngagement: boolean;
  /** TRANSIENT_BOUNCES_TO_SUPPRESS (default 3): soft bounces in a row that suppress an address. */
  transientBouncesToSuppress: number;
  /** LOCAL_SES_EVENTS (default on): publish the events SES would (delivered, mailbox-simulator bounces and complaints) through fauxqs SNS. */
  simulateSesEvents: boolean;
  /** SES_CONFIGURATION_SET (default "bulletin"): publishes each message's events (issue 6 tracks them). */
  configurationSet: string;
  /** MONTHLY_SEND, e.g. "1 09:00 +08:00": send the issue marked ready on that day every month. */
  monthly?: MonthlySchedule;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidInputError("config.port", `${name} must be a port number, not "${raw}"`);
  return n;
}

/**
 * Reads PORT (3000), LOCAL_SES_PORT (8005), PUBLIC_URL (http://localhost:$PORT), DATA_DIR (./.data),
 * BULLETIN_ADMIN_TOKEN and the --fresh flag. Nothing else needs configuring.
 *
 * @example
 * readLocalConfig(process.env, process.argv.slice(2)).publicUrl; // "http://localhost:3000"
 */
export function readLocalConfig(env: NodeJS.ProcessEnv, args: readonly string[]): LocalConfig {
  const unknown = args.filter((a) => a !== "--fresh");
  if (unknown.length) throw new InvalidInputError("config.args", `unknown option ${unknown[0]} (npm start takes only --fresh)`);
  const appPort = port(env, "PORT", 3000);
  // With PORT=0 (a free port, in tests) the URL is only known once listening: the service fills it in.
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${appPort}`).replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(publicUrl)) throw new InvalidInputError("config.public-url", `PUBLIC_URL must be an http(s) URL, not "${publicUrl}"`);
  const adminToken = env.BULLETIN_ADMIN_TOKEN?.trim();
  if (adminToken !== undefined && adminToken !== "" && adminToken.length < 20) {
    throw new InvalidInputError("config.admin-token", "BULLETIN_ADMIN_TOKEN must be at least 20 characters");
  }
  const rate = env.SEND_RATE ? Number(env.SEND_RATE) : undefined;
  if (rate !== undefined && !(rate > 0 && rate <= 10_000)) throw new InvalidInputError("config.send-rate", `SEND_RATE must be a number of emails per second, not "${env.SEND_RATE}"`);
  const sesEndpoint = endpoint(env, "BULLETIN_SES_ENDPOINT");
  const dynamoEndpoint = endpoint(env, "BULLETIN_DYNAMODB_ENDPOINT");
  const sqsEndpoint = endpoint(env, "BULLETIN_SQS_ENDPOINT");
  const dynamoUrl = endpoint(env, "LOCAL_DYNAMODB_URL");
  const emulators = onOff("LOCAL_EMULATORS", env.LOCAL_EMULATORS, true);
  if (!emulators && !(sesEndpoint && dynamoEndpoint && sqsEndpoint)) {
    throw new InvalidInputError(
      "config.emulators",
      "LOCAL_EMULATORS=off needs BULLETIN_DYNAMODB_ENDPOINT, BULLETIN_SQS_ENDPOINT and BULLETIN_SES_ENDPOINT: without the local emulators they are the only AWS endpoints",
    );
  }
  const email = (name: string, fallback: string) => {
    const v = env[name] || fallback;
    if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(v)) throw new InvalidInputError("config.email", `${name} must be an email address, not "${v}"`);
    return v;
  };
  return {
    fromEmail: email("FROM_EMAIL", "bulletin@example.org"),
    unsubscribeMailto: email("UNSUBSCRIBE_MAILTO", "unsubscribe@example.org"),
    ...(rate !== undefined ? { sendRate: rate } : {}),
    ...(sesEndpoint ? { sesEndpoint } : {}),
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    ...(sqsEndpoint ? { sqsEndpoint } : {}),
    ...(dynamoUrl ? { dynamoUrl } : {}),
    emulators,
    dynamoPort: port(env, "LOCAL_DYNAMODB_PORT", 0),
    sqsPort: port(env, "LOCAL_SQS_PORT", 0),
    ...(env.UNSUBSCRIBE_KEY ? { unsubscribeKey: secret("UNSUBSCRIBE_KEY", env.UNSUBSCRIBE_KEY) } : {}),
    ...(env.SESSION_KEY ? { sessionKey: secret("SESSION_KEY", env.SESSION_KEY) } : {}),
    simulateSesEvents: onOff("LOCAL_SES_EVENTS", env.LOCAL_SES_EVENTS, true),
    trackEngagement: onOff("TRACK_ENGAGEMENT", env.TRACK_ENGAGEMENT, true),
    transientBouncesToSuppress: count("TRANSIENT_BOUNCES_TO_SUPPRESS", env.TRANSIENT_BOUNCES_TO_SUPPRESS, 3),
    ...(env.MONTHLY_SEND ? { monthly: parseMonthlySchedule(env.MONTHLY_SEND) } : {}),
    configurationSet: configurationSet(env.SES_CONFIGURATION_SET),
    port: appPort,
    sesPort: port(env, "LOCAL_SES_PORT", 8005),
    publicUrl,
    dataDir: env.DATA_DIR || ".data",
    fresh: args.includes("--fresh"),
    ...(adminToken ? { adminToken } : {}),
    tableName: "bulletin",
  };
}

/** An optional endpoint override (BULLETIN_*_ENDPOINT): an http(s) URL, or undefined when unset. */
function endpoint(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const url = env[name] || undefined;
  if (url && !/^https?:\/\/\S+$/.test(url)) throw new InvalidInputError(`config.${name.replace(/^(BULLETIN|LOCAL)_/, "").toLowerCase().replace("_", "-")}`, `${name} must be an http(s) URL`);
  return url;
}

/** HMAC keys: long enough that guessing one is not an attack. */
function secret(name: string, value: string): string {
  if (value.length < 32) throw new InvalidInputError("config.secret", `${name} must be at least 32 characters`);
  return value;
}

function onOff(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (/^(on|true|1|yes)$/i.test(raw)) return true;
  if (/^(off|false|0|no)$/i.test(raw)) return false;
  throw new InvalidInputError("config.switch", `${name} must be on or off, not "${raw}"`);
}

function count(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidInputError("config.count", `${name} must be a whole number from 1 to 100, not "${raw}"`);
  return n;
}

/** SES configuration set names: letters, digits, - and _, at most 64. */
function configurationSet(raw: string | undefined): string {
  const name = raw || "bulletin";
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new InvalidInputError("config.configuration-set", `SES_CONFIGURATION_SET must be letters, digits, - and _, not "${name}"`);
  return name;
}
