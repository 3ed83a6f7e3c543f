// The Hono app (API, dashboard, public pages and the unsubscribe endpoint) on one Lambda behind an
// HTTP API. API Gateway rather than a Function URL: its URL exists before the function, so the
// function can be told its own public address (PUBLIC_URL) without a dependency cycle.
import {
  apiCertArn,
  apiDomain,
  architecture,
  dns,
  eventSettingsEnv,
  fromEmail,
  runtime,
  unsubscribeMailto,
} from "./config";
import { email } from "./email";
import { dispatcher, sendQueue } from "./queue";
import { adminToken, sessionKey, unsubscribeKey } from "./secrets";
import { files, table } from "./storage";

export const api = new sst.aws.ApiGatewayV2("Api", {
  // The dashboard is served from the same origin; no other site may call the API from a browser.
  cors: false,
  domain: apiDomain ? { name: apiDomain, dns, cert: apiCertArn } : undefined,
});

/** The base of every link in an email: the custom domain when there is one. */
export const publicUrl = api.url;

api.route("$default", {
  handler: "packages/functions/src/handlers/api.handler",
  runtime,
  architecture,
  // SendQueue: pause, resume and retry re-enqueue; Dispatcher: a new send is dispatched
  // asynchronously. No Email: the api never sends mail itself.
  // Files: the original PDFs and uploads (only the api reads or writes them).
  link: [table, files, sendQueue, dispatcher, unsubscribeKey, sessionKey, adminToken],
  // sharp (the photos of an imported PDF made JPEGs) is native code: SST leaves it out of the bundle
  // and installs it beside it for the function's architecture (npm install --os=linux --cpu=arm64
  // --libc=glibc), at the version the root package.json's dependencies pin.
  nodejs: { install: ["sharp"] },
  // /healthz asks SES (GetAccount) as well as the table and the send queue, as it does locally; the
  // pre-send checks read the sending domain's DKIM (GetEmailIdentity), on that identity only.
  permissions: [
    { actions: ["ses:GetAccount"], resources: ["*"] },
    { actions: ["ses:GetEmailIdentity"], resources: [email.nodes.identity.arn] },
  ],
  // PDF.js's CJK character maps and standard fonts, read from disk when a PDF is imported.
  copyFiles: [
    { from: "node_modules/pdfjs-dist/cmaps", to: "pdfjs/cmaps" },
    { from: "node_modules/pdfjs-dist/standard_fonts", to: "pdfjs/standard_fonts" },
  ],
  // FROM_EMAIL: the pre-send checks name the sender's domain (the api is not linked to Email: it sends nothing).
  environment: {
    PUBLIC_URL: publicUrl,
    UNSUBSCRIBE_MAILTO: unsubscribeMailto,
    FROM_EMAIL: fromEmail,
    PDFJS_ASSETS: "pdfjs",
    ...eventSettingsEnv,
  },
  // API Gateway gives up on an integration after 30 s.
  timeout: "30 seconds",
  memory: "1024 MB",
});
