import fc from "fast-check";
import { fixture } from "../../../packages/core/src/events/fixtures.test-support.ts";
import { mutateJson } from "./arbitraries.ts";

/** The documented SES events and SNS messages of packages/core/src/events/fixtures. */
export const FIXTURES = [
  "send",
  "delivery",
  "bounce-permanent",
  "bounce-transient",
  "complaint",
  "reject",
  "delivery-delay",
  "rendering-failure",
  "open",
  "click",
  "subscription",
  "sns-notification",
  "sns-subscription-confirmation",
];

/** An SNS Notification envelope around `inner`. */
export const snsWrap = (inner: unknown) => ({
  Type: "Notification",
  MessageId: "m-1",
  TopicArn: "arn:aws:sns:ap-east-1:1:t",
  Message: JSON.stringify(inner),
});

/** An item as it may arrive: a documented event broken in up to two places, any JSON value, or a known bad shape. */
const item = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...FIXTURES), fc.integer({ min: 0, max: 2 }))
      .chain(([name, times]) => mutateJson(fixture(name), times)),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      { Type: "Notification", Message: "{oops" },
      { Type: "Notification", Message: 42 },
      { Type: "Notification" },
      { eventType: "Bounce" },
      { notificationType: "Bounce", mail: {} },
      { eventType: "__proto__" },
      { eventType: "Send", mail: null },
    ),
  },
);
/** Such an item, in an SNS envelope half the time. */
export const maybeWrapped = fc.tuple(item, fc.boolean()).map(([v, wrap]) => (wrap ? snsWrap(v) : v));
