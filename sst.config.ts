/// <reference path="./.sst/platform/config.d.ts" />

// The deployed service on AWS (docs/deploy.md). This file only wires infra/*.ts together, one
// concern per file; deploy-time inputs are read in infra/config.ts alone. `npm run check:infra`
// type-checks it offline against SST's component types, and the tests in tests/infra/ check the
// resource graph it builds (tests/infra/graph.ts evaluates it).
export default $config({
  app(input) {
    const production = input?.stage === "production";
    return {
      name: "bulletin",
      home: "aws",
      // Production's table, identity and queues outlive `sst remove`; other stages are scratch.
      removal: production ? "retain" : "remove",
      protect: production,
    };
  },
  async run() {
    // Order matters only where one file uses another's resources; each import says so.
    await import("./infra/secrets");
    await import("./infra/storage");
    await import("./infra/events");
    await import("./infra/email");
    await import("./infra/queue");
    const { publicUrl } = await import("./infra/api");
    await import("./infra/sender");
    await import("./infra/cron");
    // The unsubscribe mailbox on SES receiving, when BULLETIN_RECEIVE_UNSUBSCRIBE=on (after email: it sends forwards).
    await import("./infra/inbound");
    return { url: publicUrl };
  },
});
