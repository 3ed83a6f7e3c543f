#!/usr/bin/env node
// `npm start`: the whole service on this machine — DynamoDB (DynamoDB Local, Java 17+), SES (aws-ses-v2-local, with
// its inbox), SQS and SNS (fauxqs) and the Hono app — through the same code as on AWS. Data lives in
// DATA_DIR (default ./.data) across restarts; `npm start -- --fresh` wipes it. Ctrl-C stops it all.
import { register } from "tsx/esm/api";

// The AWS SDK warns once that its 2027 releases will need Node 22; it works on Node 20 today, and the
// warning would bury the URLs below.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const name = typeof rest[0] === "string" ? rest[0] : rest[0]?.type;
  if (name === "NodeVersionSupportWarning" || String(warning).includes("NodeVersionSupportWarning")) return;
  emitWarning(warning, ...rest);
};
register();
const { readLocalConfig, startLocalService } = await import("../packages/local/src/index.ts");

let service;
try {
  const config = readLocalConfig(process.env, process.argv.slice(2));
  const started = Date.now();
  service = await startLocalService(config, (line) => process.stderr.write(`${line}\n`));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const latest = (await service.deps.issues.list({ limit: 1 })).items[0];
  process.stdout.write(`
Bulletin is running (started in ${seconds} s; data in ${config.dataDir}${config.fresh ? ", started fresh" : ""}).

  Dashboard              ${service.url}/admin  (sign in with the admin token)
  API docs               ${service.url}/api/docs
  Web archive            ${service.url}/archive
  Health                 ${service.url}/healthz
  Inbox (SES emulator)   ${service.inboxUrl}  ← the emails as recipients get them
  Unsubscribe mailbox    smtp://localhost:${service.smtpPort}  ← mail to ${config.unsubscribeMailto} (the List-Unsubscribe mailto), e.g. swaks --server localhost:${service.smtpPort} --to ${config.unsubscribeMailto}
  Admin token            ${service.adminToken}
${service.seeded ? `\nLoaded the samples: ${service.seeded.recipients} recipients and the sample bulletin (issue ${service.seeded.issueId}).\n` : ""}
Try:
  export BULLETIN_URL=${service.url} BULLETIN_TOKEN=${service.adminToken}
  curl -H "Authorization: Bearer $BULLETIN_TOKEN" "${service.url}/api/recipients?tier=report"
  npx bulletin recipients list --tier 报
  npx bulletin issues list
  npx bulletin recipients import samples/simulator-recipients.csv   # SES's bounce@ / complaint@ test mailboxes${
    latest
      ? `
  npx bulletin send ${latest.id}        # ${latest.label}`
      : ""
  }

Ctrl-C to stop.
`);
} catch (e) {
  process.stderr.write(`npm start: ${e instanceof Error ? e.message : String(e)}\n`);
  await service?.stop().catch(() => {});
  process.exit(1);
}

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping…\n`);
  await service.stop();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
