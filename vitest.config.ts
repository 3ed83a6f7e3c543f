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
  "tests/infra/{email,functions,permissions,send-queue,sst-config,table}.test.ts",
  "tests/{cli-import,cli-render,config-parity,import-seeds,import-text-properties}.test.ts",
];

// *.slow.test.ts (the long fault runs) are for `npm run test:faults` (vitest.faults.config.ts).
const exclude = ["**/node_modules/**", "**/*.slow.test.ts"];

// The AWS SDK warns once per process that its releases after January 2027 need Node 22; every test
// worker and every service a test spawns is a process, so a run printed it dozens of times. Set here,
// in vitest's own process (where the globalSetup's DynamoDB Local client runs), the workers and what
// they spawn inherit it. `npm start` hides the warning itself (scripts/start.mjs).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

export default defineConfig({
  test: {
    // Two files at a time on this 2-core machine (vitest's default there is one): most integration
    // files spend their time waiting (on emulators, paced sends, timeouts, Chromium), so two overlap
    // well; a third made the timing-sensitive ones (the domain-pacing e2e) fail under load.
    maxWorkers: 2,
    // A worker keeps its module graph from one test file to the next instead of importing the AWS
    // SDK, pdf.js, MJML, Hono and the packages afresh for every file: imports were some 90 s of CPU
    // per run. Files still run one after another in a worker; each starts its own services and
    // data (a temp DATA_DIR, its own DynamoDB access key), and stops them in afterAll.
    isolate: false,
    // …and puts process.env back as each file found it, so no file depends on the one before.
    setupFiles: ["tests/support/restore-env.ts"],
    testTimeout: 20_000,
    // Hooks start emulators, which under a loaded CI machine can take well over vitest's default 10 s.
    hookTimeout: 60_000,
    projects: [
      // Pure code in worker threads.
      { extends: true, test: { name: "unit", include: unit, exclude, pool: "threads" } },
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
