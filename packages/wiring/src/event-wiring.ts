import { applySesEvent } from "@bulletin/core";
import type {
  ApplyEventResult,
  Clock,
  DeliveryEvents,
  EventSettings,
  RecipientRepo,
  SendRepo,
  SesEvent,
  SuppressionRepo,
} from "@bulletin/core";

/**
 * How every deployable applies SES events, from its stores: `applyEvent` is core's applySesEvent
 * with the event settings (the domain groups among them, so a receiver's pushback halves its
 * group's limit on the send).
 *
 * @example
 * const { applyEvent } = eventWiring(stores, clock, { trackEngagement: true, transientBouncesToSuppress: 3 });
 */
export function eventWiring(
  stores: {
    deliveries: DeliveryEvents;
    suppressions: SuppressionRepo;
    recipients: RecipientRepo;
    sends: Pick<SendRepo, "noteReceiverPushback">;
  },
  clock: Clock,
  settings: EventSettings,
): { applyEvent(event: SesEvent): Promise<ApplyEventResult> } {
  return {
    applyEvent: (event) =>
      applySesEvent(event, {
        deliveries: stores.deliveries,
        suppressions: stores.suppressions,
        recipients: stores.recipients,
        sends: stores.sends,
        clock,
        settings,
      }),
  };
}
