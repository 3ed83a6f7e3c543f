import { Resource } from "sst";
import { type AwsConfig, type Links, readAwsConfig } from "./aws-config.ts";
import { type AwsRuntime, awsRuntime } from "./aws-runtime.ts";

let runtime: AwsRuntime | undefined;

/**
 * This container's runtime, built on the first invocation (not at import, so a test can set the
 * environment first) and kept for the next ones.
 *
 * @example
 * const { stores } = container();
 */
export function container(): AwsRuntime {
  runtime ??= awsRuntime(readAwsConfig(Resource as unknown as Links, process.env));
  return runtime;
}

export type { AwsConfig };
