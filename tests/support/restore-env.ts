import { afterAll } from "vitest";

/**
 * A setup file of every test file: the environment each test file leaves behind is put back
 * as it found it. Workers run many files in one process (isolate: false, vitest.config.ts), and some
 * files set variables the services read (AWS_SES_ACCOUNT, SST_RESOURCE_*); without this, a file
 * could pass or fail by which file ran before it in the same worker.
 */
const found = { ...process.env };
afterAll(() => {
  for (const name of Object.keys(process.env)) if (!(name in found)) delete process.env[name];
  Object.assign(process.env, found);
});
