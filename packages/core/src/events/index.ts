export * from "./ses-event.ts";
export * from "./delivery-events.ts";
export * from "./events-ports.ts";
export * from "./apply-ses-event.ts";
export * from "./handle-event-messages.ts";
export * from "./lift-suppression.ts";
