import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One DynamoDB Local for the run (tests/support/dynamodb-global-setup.ts).
    globalSetup: ["tests/support/dynamodb-global-setup.ts"],
    include: ["packages/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    // *.slow.test.ts (the long fault runs) are for `npm run test:faults` (vitest.faults.config.ts).
    exclude: ["**/node_modules/**", "**/*.slow.test.ts"],
    testTimeout: 20_000,
    // Hooks start emulators (a JVM for DynamoDB Local among them), which under a loaded CI machine
    // can take well over vitest's default 10 s.
    hookTimeout: 60_000,
  },
});
