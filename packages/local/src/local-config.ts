import {
  type DomainGroup,
  envReader,
  InvalidInputError,
  type MonthlySchedule,
  parseDomainRates,
  parseMonthlySchedule,
} from "@bulletin/core";

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
  /**
   * DOMAIN_RATES, e.g. "qq.com,foxmail.com=3000/h;163.com,126.com=3000/h" (unit s, min, h or d;
   * "none" for no group): limits per group of recipient domains, beside the account's rate. Default:
   * QQ and NetEase at 3000/h (core's DEFAULT_DOMAIN_RATES).
   */
  domainGroups: DomainGroup[];
  /** LOCAL_SMTP_PORT (default 2525): the SMTP server that receives mail for the unsubscribe address. */
  smtpPort: number;
  /** UNSUBSCRIBE_FORWARD_TO: where an unsubscribe mail that unsubscribes nobody goes, for a person to read. */
  unsubscribeForwardTo: string;
}

/**
 * Reads the settings the README lists (PORT 3000, LOCAL_SES_PORT 8005, PUBLIC_URL
 * http://localhost:$PORT, DATA_DIR ./.data, …; all optional) and the --fresh flag, with core's
 * envReader: a value is parsed here exactly as on AWS (functions' aws-config.ts) and at deploy.
 *
 * @example
 * readLocalConfig(process.env, process.argv.slice(2)).publicUrl; // "http://localhost:3000"
 */
export function readLocalConfig(env: NodeJS.ProcessEnv, args: readonly string[]): LocalConfig {
  const unknown = args.filter((a) => a !== "--fresh");
  if (unknown.length)
    throw new InvalidInputError("config.args", `unknown option ${unknown[0]} (npm start takes only --fresh)`);
  const read = envReader(env);
  const appPort = read.port("PORT", 3000);
  // With PORT=0 (a free port, in tests) the URL is only known once listening: the service fills it in.
  const publicUrl = read.url("PUBLIC_URL", { default: `http://localhost:${appPort}` });
  const adminToken = read.secret("BULLETIN_ADMIN_TOKEN", 20);
  const sendRate = read.rate("SEND_RATE");
  const sesEndpoint = read.url("BULLETIN_SES_ENDPOINT");
  const dynamoEndpoint = read.url("BULLETIN_DYNAMODB_ENDPOINT");
  const sqsEndpoint = read.url("BULLETIN_SQS_ENDPOINT");
  const dynamoUrl = read.url("LOCAL_DYNAMODB_URL");
  const emulators = read.bool("LOCAL_EMULATORS", true);
  if (!emulators && !(sesEndpoint && dynamoEndpoint && sqsEndpoint)) {
    throw new InvalidInputError(
      "config.emulators",
      "LOCAL_EMULATORS=off needs BULLETIN_DYNAMODB_ENDPOINT, BULLETIN_SQS_ENDPOINT and BULLETIN_SES_ENDPOINT: without the local emulators they are the only AWS endpoints",
    );
  }
  const unsubscribeMailto = read.address("UNSUBSCRIBE_MAILTO", { default: "unsubscribe@example.org" });
  const unsubscribeKey = read.secret("UNSUBSCRIBE_KEY", 32);
  const sessionKey = read.secret("SESSION_KEY", 32);
  const monthly = read.text("MONTHLY_SEND");
  return {
    fromEmail: read.address("FROM_EMAIL", { default: "bulletin@example.org" }),
    unsubscribeMailto,
    ...(sendRate !== undefined ? { sendRate } : {}),
    ...(sesEndpoint ? { sesEndpoint } : {}),
    ...(dynamoEndpoint ? { dynamoEndpoint } : {}),
    ...(sqsEndpoint ? { sqsEndpoint } : {}),
    ...(dynamoUrl ? { dynamoUrl } : {}),
    emulators,
    dynamoPort: read.port("LOCAL_DYNAMODB_PORT", 0),
    sqsPort: read.port("LOCAL_SQS_PORT", 0),
    ...(unsubscribeKey ? { unsubscribeKey } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    simulateSesEvents: read.bool("LOCAL_SES_EVENTS", true),
    trackEngagement: read.bool("TRACK_ENGAGEMENT", true),
    transientBouncesToSuppress: read.int("TRANSIENT_BOUNCES_TO_SUPPRESS", { default: 3, min: 1, max: 100 }),
    ...(monthly ? { monthly: parseMonthlySchedule(monthly) } : {}),
    // SES configuration set names: letters, digits, - and _, at most 64.
    configurationSet: read.matching(
      "SES_CONFIGURATION_SET",
      /^[A-Za-z0-9_-]{1,64}$/,
      "letters, digits, - and _ (at most 64)",
      "bulletin",
    ),
    domainGroups: parseDomainRates(read.text("DOMAIN_RATES")),
    // 2525, or a free one when the app takes a free one too (PORT=0: tests running side by side).
    smtpPort: read.port("LOCAL_SMTP_PORT", appPort === 0 ? 0 : 2525),
    unsubscribeForwardTo: forwardTo(
      read.address("UNSUBSCRIBE_FORWARD_TO", { default: "secretariat@example.org" }),
      unsubscribeMailto,
    ),
    port: appPort,
    sesPort: read.port("LOCAL_SES_PORT", 8005),
    publicUrl,
    dataDir: read.text("DATA_DIR", { default: ".data" }),
    fresh: args.includes("--fresh"),
    ...(adminToken ? { adminToken } : {}),
    tableName: "bulletin",
  };
}

/** The forward address must not be the unsubscribe address itself: each forward would come back. */
function forwardTo(forward: string, mailto: string): string {
  if (forward.toLowerCase() === mailto.toLowerCase())
    throw new InvalidInputError(
      "config.email",
      "UNSUBSCRIBE_FORWARD_TO must not be the unsubscribe address itself (the forward would come back to it)",
    );
  return forward;
}
