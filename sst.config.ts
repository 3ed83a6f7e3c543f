/// <reference path="./.sst/platform/config.d.ts" />

// Infrastructure as code for the deployed service. It only wires infra/*.ts together; each concern
// lives in its own file there. Type-checked offline once SST's providers are installed.
export default $config({
  app(input) {
    return {
      name: "bulletin",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
    };
  },
  async run() {
    await import("./infra/index");
  },
});
