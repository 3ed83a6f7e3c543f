// The sending identity: the domain (verified through DKIM records), its DMARC policy, and the
// configuration set every message names, which publishes each event type the tracker handles
// (SES_EVENT_TYPES in packages/core/src/events/ses-event.ts) to the SesEvents topic.
import { dmarc, dns, emailDomain } from "./config";
import { sesEvents } from "./events";

export const email = new sst.aws.Email("Email", {
  sender: emailDomain,
  dmarc,
  dns,
  events: [
    {
      name: "Tracking",
      topic: sesEvents.arn,
      types: [
        "send",
        "delivery",
        "bounce",
        "complaint",
        "reject",
        "delivery-delay",
        "rendering-failure",
        "open",
        "click",
        "subscription",
      ],
    },
  ],
});

// SES may publish to the topic only with the topic's permission; this grant is limited to this
// account's configuration set, so no other SES sender can feed the tracker.
new aws.sns.TopicPolicy("SesEventsPolicy", {
  arn: sesEvents.arn,
  policy: aws.iam.getPolicyDocumentOutput({
    statements: [
      {
        sid: "SesPublishesEvents",
        principals: [{ type: "Service", identifiers: ["ses.amazonaws.com"] }],
        actions: ["SNS:Publish"],
        resources: [sesEvents.arn],
        conditions: [
          { test: "StringEquals", variable: "AWS:SourceAccount", values: [aws.getCallerIdentityOutput({}).accountId] },
          { test: "ArnEquals", variable: "AWS:SourceArn", values: [email.nodes.configurationSet.arn] },
        ],
      },
    ],
  }).json,
});

/**
 * What a function linked to Email may do: send through this identity and configuration set, one
 * message (SendEmail: test sends) or up to 50 with inline template content (SendBulkEmail: no stored
 * template, so no template ARN to grant). SST's own link grants ses:* on both and ses:SendEmail on
 * every identity ("*"), for sandbox accounts;
 * this service needs production access anyway (docs/deploy.md), so the grant names the two ARNs.
 */
sst.Linkable.wrap(sst.aws.Email, (e) => ({
  properties: { sender: e.sender, configSet: e.configSet },
  include: [
    sst.aws.permission({
      actions: ["ses:SendEmail", "ses:SendBulkEmail"],
      resources: [e.nodes.identity.arn, e.nodes.configurationSet.arn],
    }),
  ],
}));
