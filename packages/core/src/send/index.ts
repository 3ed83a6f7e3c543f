export * from "./mail-error.ts";
export * from "./send-model.ts";
export * from "./send-ports.ts";
