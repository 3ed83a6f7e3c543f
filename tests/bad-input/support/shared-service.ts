import type { startTestService } from "../../support/service.ts";

export type TestService = Awaited<ReturnType<typeof startTestService>>;

/**
 * The one real service that tests/bad-input/service.test.ts starts for all its suites (each suite is
 * a module of tests/bad-input/service/): starting the stack costs seconds, and vitest gives each test
 * file its own. `ctx` is set before any suite's beforeAll runs.
 */
export interface SharedService {
  ctx: TestService;
}
