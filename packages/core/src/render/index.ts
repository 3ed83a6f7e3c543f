export * from "./render-settings.ts";
export * from "./renderer-port.ts";
