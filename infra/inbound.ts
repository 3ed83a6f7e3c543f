// The List-Unsubscribe mailbox, processed (BULLETIN_RECEIVE_UNSUBSCRIBE=on, in a region where SES
// receives mail): a receipt rule for that one address stores each mail in the Inbound bucket under
// inbound/<message id>, then invokes UnsubscribeMail, which verifies the signed token in its subject
// and unsubscribes that recipient (source mailto), or forwards the mail to a person. The domain's MX
// record must point at SES's inbound endpoint (docs/deploy.md).
import {
  architecture,
  fromEmail,
  receiveUnsubscribe,
  runtime,
  unsubscribeForwardTo,
  unsubscribeMailto,
} from "./config";
import { email } from "./email";
import { unsubscribeKey } from "./secrets";
import { table } from "./storage";

export const inbound = receiveUnsubscribe ? receiving() : undefined;

function receiving() {
  const account = aws.getCallerIdentityOutput({}).accountId;
  // Mail is kept 30 days: long enough for a person to look at a forwarded one.
  const bucket = new sst.aws.Bucket("Inbound");
  new aws.s3.BucketLifecycleConfigurationV2("InboundExpire", {
    bucket: bucket.name,
    rules: [{ id: "inbound", status: "Enabled", filter: { prefix: "inbound/" }, expiration: { days: 30 } }],
  });
  const fn = new sst.aws.Function("UnsubscribeMail", {
    handler: "packages/functions/src/handlers/unsubscribe-mail.handler",
    runtime,
    architecture,
    // Not linked to the bucket (a Bucket link grants the Files prefixes): it reads inbound/ only.
    link: [table, email, unsubscribeKey],
    permissions: [{ actions: ["s3:GetObject"], resources: [$interpolate`${bucket.arn}/inbound/*`] }],
    environment: {
      FROM_EMAIL: fromEmail,
      UNSUBSCRIBE_MAILTO: unsubscribeMailto,
      UNSUBSCRIBE_FORWARD_TO: unsubscribeForwardTo!,
      INBOUND_BUCKET: bucket.name,
    },
    timeout: "30 seconds",
    memory: "512 MB",
  });
  // SES writes the mail with its own principal, for this account's rule only.
  const policy = new aws.s3.BucketPolicy("InboundSesPut", {
    bucket: bucket.name,
    policy: aws.iam.getPolicyDocumentOutput({
      statements: [
        {
          principals: [{ type: "Service", identifiers: ["ses.amazonaws.com"] }],
          actions: ["s3:PutObject"],
          resources: [$interpolate`${bucket.arn}/inbound/*`],
          conditions: [{ test: "StringEquals", variable: "AWS:SourceAccount", values: [account] }],
        },
      ],
    }).json,
  });
  const invoke = new aws.lambda.Permission("UnsubscribeMailFromSes", {
    action: "lambda:InvokeFunction",
    function: fn.name,
    principal: "ses.amazonaws.com",
    sourceAccount: account,
  });
  const ruleSet = new aws.ses.ReceiptRuleSet("InboundRules", { ruleSetName: `${$app.name}-${$app.stage}-inbound` });
  new aws.ses.ActiveReceiptRuleSet("InboundRulesActive", { ruleSetName: ruleSet.ruleSetName });
  new aws.ses.ReceiptRule(
    "UnsubscribeRule",
    {
      ruleSetName: ruleSet.ruleSetName,
      name: "unsubscribe",
      enabled: true,
      recipients: [unsubscribeMailto],
      scanEnabled: true,
      s3Actions: [{ bucketName: bucket.name, objectKeyPrefix: "inbound/", position: 1 }],
      lambdaActions: [{ functionArn: fn.arn, invocationType: "Event", position: 2 }],
    },
    { dependsOn: [policy, invoke] },
  );
  return { bucket, fn };
}
