import { z } from "@hono/zod-openapi";
import { SesEventSchema } from "@bulletin/core";
import { named } from "./common.ts";

/** An SNS message as SNS delivers it to an HTTP endpoint or a queue: the SES event is `Message`, as JSON text. */
export const SnsMessageSchema = z
  .object({
    Type: z.enum(["Notification", "SubscriptionConfirmation", "UnsubscribeConfirmation"]),
    Message: z.string().openapi({ description: "The SES event, as JSON text (a Notification)" }).optional(),
    MessageId: z.string().optional(),
    TopicArn: z.string().optional(),
    SubscribeURL: z.string().optional(),
  })
  .loose()
  .openapi("SnsMessage", {
    description:
      "An SNS envelope: a Notification carries one SES event; a (Un)SubscriptionConfirmation is reported, not applied",
  });

/** One item of an SES event export: an event, or the SNS envelope around one. */
export const SesEventItemSchema = z
  .union([
    named(SesEventSchema).openapi("SesEvent", {
      description:
        "An SES event as event publishing sends it (an identity notification, which says notificationType for eventType, is read too)",
    }),
    SnsMessageSchema,
  ])
  .openapi("SesEventItem");

/** POST /api/events as JSON: an array of events (SES's own export), or one. */
export const SesEventBatchSchema = z.union([z.array(SesEventItemSchema), SesEventItemSchema]).openapi("SesEventBatch");
