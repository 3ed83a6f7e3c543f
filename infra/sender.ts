// The sender: the send queue's one subscriber. Pacing is split between the concurrent senders:
// the event source never runs more than SEND_CONCURRENCY at once, and each sender takes
// 1/SEND_CONCURRENCY of the account's SES rate, so together they never exceed it.
import { architecture, domainRatesEnv, fromEmail, runtime, sendConcurrency, unsubscribeMailto } from "./config";
import { email } from "./email";
import { publicUrl } from "./api";
import { SENDER_TIMEOUT_MINUTES, sendQueue } from "./queue";
import { unsubscribeKey } from "./secrets";
import { files, table } from "./storage";

sendQueue.subscribe(
  {
    handler: "packages/functions/src/handlers/sender.handler",
    runtime,
    architecture,
    // Files: the issues' photos, read when the settings embed them in the email (cid:). The send
    // queue too: recipients of a domain group at its limit go back on it, delayed.
    link: [table, email, files, unsubscribeKey, sendQueue],
    // The daily quota and the send rate come from SES GetAccount, an account-level call that IAM
    // only grants on "*" (it has no resource to name).
    permissions: [{ actions: ["ses:GetAccount"], resources: ["*"] }],
    environment: {
      PUBLIC_URL: publicUrl,
      FROM_EMAIL: fromEmail,
      UNSUBSCRIBE_MAILTO: unsubscribeMailto,
      SEND_CONCURRENCY: String(sendConcurrency),
      ...domainRatesEnv,
    },
    timeout: `${SENDER_TIMEOUT_MINUTES} minutes` as const,
    memory: "1024 MB",
  },
  {
    // One message (50 addresses) per invocation keeps a run well inside the timeout. With partial
    // responses the handler hands back a batch it could not finish (throttled, paused) as a
    // result, not an error; it returns after the visibility timeout, and the addresses already
    // sent in it are skipped by their claims.
    batch: { size: 1, partialResponses: true },
    transform: { eventSourceMapping: { scalingConfig: { maximumConcurrency: sendConcurrency } } },
  },
);
