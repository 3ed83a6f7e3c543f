// Public surface of @bulletin/functions: the handlers live in src/handlers/*.ts (one per Lambda).
export { readAwsConfig, type AwsConfig, type Links } from "./aws-config.ts";
export { container } from "./container.ts";
