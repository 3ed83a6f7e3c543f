// Every deploy-time input, read from the environment of `npx sst deploy` here and nowhere else, so
// that docs/deploy.md has one list to describe and a bad value stops the deploy before AWS is
// touched. Only `run()` evaluates this file (`sst install` does not), so a missing domain fails a
// deploy, a diff or a removal, never the offline type check.
import { envReader } from "../packages/core/src/config/env.ts";
import { parseMonthlySchedule } from "../packages/core/src/send/monthly-schedule.ts";
import { parseDomainRates } from "../packages/core/src/send/domain-groups.ts";

/** The same reader the handlers and the local stack use: a value means here what it means there. */
const read = envReader(process.env, { see: "docs/deploy.md" });

/** Production keeps its data: the table refuses deletion and `removal: "retain"` applies (sst.config.ts). */
export const isProduction = $app.stage === "production";

/**
 * Node 22: the Lambda runtime nearest to the Node 20 this repository is tested on, which itself
 * reached its end of life in April 2026 (SST's default is 24).
 */
export const runtime = "nodejs22.x" as const;

/** arm64 costs 20% less per GB-second than x86_64, and nothing here is native code. */
export const architecture = "arm64" as const;

function fail(message: string): never {
  throw new Error(`${message} (see docs/deploy.md)`);
}

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** The domain mail is sent from; the deploy creates its SES identity, DKIM and DMARC records. */
export const emailDomain = (() => {
  read.required("BULLETIN_EMAIL_DOMAIN", "the domain the bulletin is sent from, e.g. news.example.org");
  return read.matching("BULLETIN_EMAIL_DOMAIN", DOMAIN, "a domain name such as news.example.org")!.toLowerCase();
})();

const addressAt = (name: string, fallbackLocal: string): string =>
  read.address(name, { default: `${fallbackLocal}@${emailDomain}` });

/** The From address. It must be at the verified domain: the sender's IAM grant names only that identity. */
export const fromEmail = (() => {
  const address = addressAt("BULLETIN_FROM_EMAIL", "bulletin");
  if (!address.toLowerCase().endsWith(`@${emailDomain}`)) {
    fail(`BULLETIN_FROM_EMAIL (${address}) must be an address at BULLETIN_EMAIL_DOMAIN (${emailDomain})`);
  }
  return address;
})();

/** The mailbox in List-Unsubscribe (QQ Mail unsubscribes by mailing it). */
export const unsubscribeMailto = addressAt("BULLETIN_UNSUBSCRIBE_MAILTO", "unsubscribe");

/**
 * The regions where SES receives mail, as AWS's SES endpoint list gave them when this was written
 * (us-east-1, us-west-2, eu-west-1). Receipt rules, the Inbound bucket and the handler must be in
 * the deploy region, so the unsubscribe mailbox can only be processed when the deploy region is one
 * of these. AWS adds regions: BULLETIN_SES_RECEIVING_REGIONS replaces the list.
 */
const receivingRegions = (read.text("BULLETIN_SES_RECEIVING_REGIONS") ?? "us-east-1,us-west-2,eu-west-1")
  .split(",")
  .map((r) => r.trim());

/**
 * BULLETIN_RECEIVE_UNSUBSCRIBE=on: SES receives the List-Unsubscribe mailbox's mail, stores it in S3
 * and the UnsubscribeMail handler processes it (infra/inbound.ts). Off (the default): the mailbox is
 * one a person reads, as before.
 */
export const receiveUnsubscribe = (() => {
  if (!read.bool("BULLETIN_RECEIVE_UNSUBSCRIBE", false)) return false;
  const region = read.text("AWS_REGION") ?? read.text("AWS_DEFAULT_REGION");
  if (!region || !receivingRegions.includes(region)) {
    fail(
      `BULLETIN_RECEIVE_UNSUBSCRIBE=on needs a deploy region where SES receives mail (${receivingRegions.join(", ")}), set in AWS_REGION; this deploy's is ${region ?? "not set"}`,
    );
  }
  return true;
})();

/** Where an unsubscribe mail without a valid token goes, for a person to read; not the mailbox itself. */
export const unsubscribeForwardTo = (() => {
  const address = read.address("BULLETIN_UNSUBSCRIBE_FORWARD_TO");
  if (!receiveUnsubscribe) return address;
  if (!address)
    fail(
      `BULLETIN_RECEIVE_UNSUBSCRIBE=on needs BULLETIN_UNSUBSCRIBE_FORWARD_TO: the address a person reads, where mail that unsubscribes nobody is forwarded`,
    );
  if (address.toLowerCase() === unsubscribeMailto.toLowerCase())
    fail("BULLETIN_UNSUBSCRIBE_FORWARD_TO must not be the unsubscribe mailbox itself");
  return address;
})();

/**
 * The DMARC record published at _dmarc.<domain>. Quarantine with strict DKIM alignment: SES signs
 * with the domain's own DKIM key, so legitimate bulletins always align, and a forged one does not.
 */
export const dmarc = read.text("BULLETIN_DMARC") ?? "v=DMARC1; p=quarantine; adkim=s;";
if (!dmarc.startsWith("v=DMARC1;")) fail(`BULLETIN_DMARC must be a DMARC record starting "v=DMARC1;", not "${dmarc}"`);

/**
 * Where the DNS records go: "route53" (default) writes DKIM, DMARC and the API domain's records in
 * the Route 53 hosted zone of the domain (or BULLETIN_DNS_ZONE); "manual" leaves them to you, and
 * the first deploy then waits until the DKIM records it asks for are published.
 */
export const dnsMode = read.oneOf("BULLETIN_DNS", ["route53", "manual"], "route53");
const dnsZone = read.text("BULLETIN_DNS_ZONE");
/** The DNS adapter for the SES identity and the API domain; false leaves the records to you. */
export const dns = dnsMode === "manual" ? false : sst.aws.dns(dnsZone ? { zone: dnsZone } : {});

/** An optional custom domain for the app (links in emails then use it). */
export const apiDomain = read.matching("BULLETIN_API_DOMAIN", DOMAIN, "a domain name such as bulletin.example.org");
/** With manual DNS, API Gateway needs an ACM certificate for the custom domain, made beforehand. */
export const apiCertArn = read.text("BULLETIN_API_CERT_ARN");
if (apiDomain && dnsMode === "manual" && !apiCertArn) {
  fail(
    `BULLETIN_API_DOMAIN with BULLETIN_DNS=manual needs BULLETIN_API_CERT_ARN (an ACM certificate for ${apiDomain} in the deploy region)`,
  );
}

/**
 * Concurrent senders: the send queue's maximum concurrency, and each sender paces itself at
 * 1/SEND_CONCURRENCY of the account's SES rate. 2 is SQS's minimum; 100 is the handler's maximum.
 * Pick a divisor of the SES rate (docs/sending.md, "Pacing").
 */
export const sendConcurrency = read.int("BULLETIN_SEND_CONCURRENCY", { default: 2, min: 2, max: 100 });

/** "DAY HH:MM ±HH:MM": parsed by the scheduler's own parser, so a typo fails now, not on the 1st. */
export const monthlySend = read.text("BULLETIN_MONTHLY_SEND");
if (monthlySend) {
  try {
    parseMonthlySchedule(monthlySend);
  } catch (err) {
    fail(`BULLETIN_MONTHLY_SEND: ${(err as Error).message}`);
  }
}

/** Environment entries without the unset ones, so the handlers' own defaults apply. */
export function definedEnv(vars: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Passed on as on/off: the handlers read it with the same reader, so every spelling means the same there. */
const tracked = read.bool("BULLETIN_TRACK_ENGAGEMENT");
const trackEngagement = tracked === undefined ? undefined : tracked ? "on" : "off";

const bounces = read.int("BULLETIN_TRANSIENT_BOUNCES_TO_SUPPRESS", { min: 1, max: 100 });
const transientBouncesToSuppress = bounces === undefined ? undefined : String(bounces);

/**
 * Limits per group of recipient domains, e.g. "qq.com,foxmail.com=3000/h;163.com,126.com=3000/h"
 * (unit s, min, h or d; "none" for none). Unset: QQ and NetEase at 3000/h (core's defaults).
 * Parsed by the service's own parser, so a typo stops the deploy.
 */
const domainRates = read.text("BULLETIN_DOMAIN_RATES");
if (domainRates) {
  try {
    parseDomainRates(domainRates);
  } catch (err) {
    fail(`BULLETIN_DOMAIN_RATES: ${(err as Error).message}`);
  }
}
/** The sender paces by it; the tracker and the api halve a group on a receiver's pushback and show who waits. */
export const domainRatesEnv = definedEnv({ DOMAIN_RATES: domainRates });

/**
 * How SES events are applied, for both places that apply them: the tracker (SNS) and the api
 * (replays through POST /api/events), so a replayed event is treated as the live one was.
 */
export const eventSettingsEnv = definedEnv({
  TRACK_ENGAGEMENT: trackEngagement,
  TRANSIENT_BOUNCES_TO_SUPPRESS: transientBouncesToSuppress,
  ...domainRatesEnv,
});
