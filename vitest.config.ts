import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "tests/**/*.test.ts"],
    // *.slow.test.ts (the long fault runs) are for `npm run test:faults` (vitest.faults.config.ts).
    exclude: ["**/node_modules/**", "scratch/**", "**/*.slow.test.ts"],
    testTimeout: 20_000,
  },
});
