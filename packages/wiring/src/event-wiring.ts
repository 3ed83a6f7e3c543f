import { applySesEvent } from "@bulletin/core";
import type { ApplyEventResult, Clock, DeliveryEvents, EventSettings, RecipientRepo, SesEvent, SuppressionRepo } from "@bulletin/core";

/**
 * How every deployable applies SES events and one-click unsubscribes, from its stores: `applyEvent`
 * (core's applySesEvent with the event settings) and `onUnsubscribe` (the address goes on the
 * suppression list, which every later send checks).
 *
 * @example
 * const { applyEvent } = eventWiring(stores, clock, { trackEngagement: true, transientBouncesToSuppress: 3 });
 */
export function eventWiring(
  stores: { deliveries: DeliveryEvents; suppressions: SuppressionRepo; recipients: RecipientRepo },
  clock: Clock,
  settings: EventSettings,
): { applyEvent(event: SesEvent): Promise<ApplyEventResult>; onUnsubscribe(email: string, sendId: string): Promise<void> } {
  return {
    applyEvent: (event) => applySesEvent(event, { deliveries: stores.deliveries, suppressions: stores.suppressions, recipients: stores.recipients, clock, settings }),
    onUnsubscribe: async (email) => {
      await stores.suppressions.suppress({ email, reason: "unsubscribe", source: "one-click unsubscribe", at: clock.now().toISOString() });
    },
  };
}
