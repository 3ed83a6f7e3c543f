import { afterEach, describe, expect, it, vi } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DEPLOY_ENV, evaluate, root } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("sst.config.ts", () => {
  it("only imports infra/*.ts", () => {
    const source = readFileSync(join(root, "sst.config.ts"), "utf8");
    const imports = [...source.matchAll(/import\s*\(\s*"([^"]+)"\s*\)|from\s+"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(imports.length).toBeGreaterThan(0);
    for (const spec of imports) expect(spec).toMatch(/^\.\/infra\/[\w-]+$/);
  });

  it("retains and protects production, and removes other stages", async () => {
    const production = await evaluate("production");
    expect(production.app).toMatchObject({ name: "bulletin", home: "aws", removal: "retain", protect: true });
    const dev = await evaluate("dev");
    expect(dev.app).toMatchObject({ removal: "remove", protect: false });
  });

  it("fails loudly without the sending domain, and on a bad deploy-time input", async () => {
    await expect(evaluate("production", {})).rejects.toThrow(/BULLETIN_EMAIL_DOMAIN is not set/);
    await expect(evaluate("production", { BULLETIN_EMAIL_DOMAIN: "bulletin@example.org" })).rejects.toThrow(
      /must be a domain name/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_SEND_CONCURRENCY: "1" })).rejects.toThrow(
      /from 2 to 100/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_MONTHLY_SEND: "31 09:00 +08:00" })).rejects.toThrow(
      /BULLETIN_MONTHLY_SEND/,
    );
    await expect(
      evaluate("production", { ...DEPLOY_ENV, BULLETIN_FROM_EMAIL: "bulletin@elsewhere.org" }),
    ).rejects.toThrow(/must be an address at/);
    // Read by core's envReader, as the handlers read what they are given: one meaning for every spelling.
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_TRACK_ENGAGEMENT: "maybe" })).rejects.toThrow(
      /BULLETIN_TRACK_ENGAGEMENT must be on or off/,
    );
    await expect(evaluate("production", { ...DEPLOY_ENV, BULLETIN_RECEIVE_UNSUBSCRIBE: "sometimes" })).rejects.toThrow(
      /BULLETIN_RECEIVE_UNSUBSCRIBE must be on or off/,
    );
    expect(
      (await evaluate("production", { ...DEPLOY_ENV, BULLETIN_TRACK_ENGAGEMENT: "No" })).graph.fn("ses-events").args
        .environment,
    ).toEqual({ TRACK_ENGAGEMENT: "off" });
  });
});
