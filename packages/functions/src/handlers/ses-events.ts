import { handleEventMessages, RetryableError } from "@bulletin/core";
import { eventWiring } from "@bulletin/wiring";
import type { SNSEvent } from "aws-lambda";
import { container } from "../container.ts";

// SES event publishing: configuration set → SNS topic → this function. Each record's Sns object is
// the same envelope an SQS subscription receives, so the one handler (handleEventMessages →
// applySesEvent) serves both, and POST /api/events.
export const handler = async (event: SNSEvent) => {
  const rt = container();
  const { applyEvent } = eventWiring(rt.stores, rt.clock, {
    trackEngagement: rt.config.trackEngagement,
    transientBouncesToSuppress: rt.config.transientBouncesToSuppress,
    domainGroups: rt.config.domainGroups,
  });
  const report = await handleEventMessages(
    event.Records.map((r) => ({ id: r.Sns.MessageId, body: JSON.stringify(r.Sns) })),
    applyEvent,
  );
  for (const bad of report.invalid)
    console.warn(JSON.stringify({ msg: "SES event dropped", id: bad.id, reason: bad.reason }));
  // SNS invokes asynchronously: throwing makes Lambda retry the whole event later, and applying an
  // event again is harmless (a delivery only ever moves forward, once).
  if (report.retry.length > 0)
    throw new RetryableError(
      "events.retry",
      `${report.retry.length} event(s) found their delivery still being sent; retrying`,
    );
  const { invalid, confirmations, retry: _retry, ...counts } = report;
  return { ...counts, invalid: invalid.length, confirmations: confirmations.length };
};
