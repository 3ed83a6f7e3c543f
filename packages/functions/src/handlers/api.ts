import { createApp } from "@bulletin/api";
import type { LambdaContext, LambdaEvent } from "hono/aws-lambda";
import { handle } from "hono/aws-lambda";
import { apiDeps } from "../api-deps.ts";
import { container } from "../container.ts";

// The Hono app (API, dashboard, unsubscribe and archive pages) behind API Gateway v2: the same
// createApp as `npm start`, with DynamoDB, SQS and the dispatcher Lambda instead of the emulators.
let lambdaHandler: ReturnType<typeof handle> | undefined;

export const handler = async (event: LambdaEvent, context: LambdaContext) => {
  lambdaHandler ??= handle(createApp(await apiDeps(container())));
  return lambdaHandler(event, context);
};
