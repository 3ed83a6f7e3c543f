import { defineConfig } from "vitest/config";

// `npm run test:faults`: the slow fault runs (tests/faults/*.slow.test.ts). Each file runs on a
// local stack of its own, and they mostly wait (backoffs, SES's 10 s client timeout, redeliveries,
// restarted processes), so two files run side by side even on two cores.
// As in vitest.config.ts: the AWS SDK's Node 22 notice, once per process, would be printed by every
// worker and every service a fault run restarts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export default defineConfig({
  test: {
    // One DynamoDB Local for the run (tests/support/dynamodb-global-setup.ts).
    globalSetup: ["tests/support/dynamodb-global-setup.ts"],
    include: ["tests/faults/**/*.slow.test.ts"],
    exclude: ["**/node_modules/**"],
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
