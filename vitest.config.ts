import { defineConfig } from "vitest/config";

/**
 * The unit tests: no emulator, no browser, no socket, no child process; in-memory fakes, the Hono app
 * through `app.request()` on in-memory deps, and the CLI's `main(argv, io)` on files. They may read
 * fixtures and write temp files. `npm run test:unit` runs only these (seconds, no Java needed).
 * Everything else is the integration project.
 */
const unit = [
  "packages/core/src/**/*.test.ts",
  "packages/api/src/**/*.test.ts",
  "packages/cli/src/**/*.test.ts",
  "packages/mjml/src/**/*.test.ts",
  "packages/wiring/src/**/*.test.ts",
  "packages/dynamo/src/batch-get.test.ts",
  "packages/ses/src/{classify-ses-error,mailbox-simulator,message-tags,send-bulk-email-input,ses-sender-identity}.test.ts",
  "packages/sqs/src/batch-codec.test.ts",
  "tests/docs/**/*.test.ts",
  "tests/bad-input/{importer,recipients-csv,ses-events}.test.ts",
  "tests/infra/graph.test.ts",
  "tests/{cli-import,cli-render,config-parity,import-seeds,import-text-properties}.test.ts",
];

// *.slow.test.ts (the long fault runs) are for `npm run test:faults` (vitest.faults.config.ts).
const exclude = ["**/node_modules/**", "**/*.slow.test.ts"];

export default defineConfig({
  test: {
    // The AWS SDK warns once per process that its releases after January 2027 need Node 22; every
    // test worker and every service a test spawns is a process, so a run printed it dozens of times.
    // Workers get this env, and the processes they spawn inherit it. (`npm start` hides it itself.)
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 20_000,
    // Hooks start emulators, which under a loaded CI machine can take well over vitest's default 10 s.
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "unit", include: unit, exclude } },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.test.ts", "tests/**/*.test.ts"],
          exclude: [...exclude, ...unit],
          // One DynamoDB Local for the run (tests/support/dynamodb-global-setup.ts).
          globalSetup: ["tests/support/dynamodb-global-setup.ts"],
        },
      },
    ],
  },
});
