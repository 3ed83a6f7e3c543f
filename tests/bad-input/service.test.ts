import { afterAll, beforeAll, describe } from "vitest";
import { startTestService } from "../support/service.ts";
import { apiBodies } from "./service/api-bodies.ts";
import { controlCharactersInHeaders } from "./service/headers.ts";
import { markupOnPages } from "./service/markup.ts";
import { recipientsCsvApi } from "./service/recipients-csv.ts";
import { sesEventsApi } from "./service/ses-events.ts";
import { tamperedTokens } from "./service/unsubscribe-tokens.ts";
import type { SharedService } from "./support/shared-service.ts";

// Bad input against the real service (DynamoDB Local, SES and SQS emulators, the Hono app), started once
// for every suite: vitest runs a file's tests one after another, and each file would pay for its
// own stack. The suites that compare a scan of the whole table before and after go first, before
// any suite sends email; each suite waits for its own sends to finish.
const shared = {} as SharedService;
beforeAll(async () => {
  shared.ctx = await startTestService({ SEND_RATE: "100" });
}, 60_000);
afterAll(async () => shared.ctx?.service.stop());

describe("bad JSON bodies on every JSON route", () => apiBodies(shared));
describe("tampered unsubscribe tokens", () => tamperedTokens(shared));
describe("recipient CSVs through the API", () => recipientsCsvApi(shared));
describe("garbage SES events through the API", () => sesEventsApi(shared));
describe("hostile markup on every page", () => markupOnPages(shared));
describe("control characters on their way to headers", () => controlCharactersInHeaders(shared));
