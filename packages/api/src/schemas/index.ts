// The API's request and response shapes, one file per area. Core's zod schemas are reused as they
// are, and its lists (tiers, statuses, outcomes, formats) are what the enums are made of, so what the
// API accepts and documents is exactly what the domain validates.
export * from "./common.ts";
export * from "./events.ts";
export * from "./issues.ts";
export * from "./recipients.ts";
export * from "./sends.ts";
export * from "./suppressions.ts";
export * from "./tokens.ts";
