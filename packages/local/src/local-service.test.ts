import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLocalConfig } from "./local-config.ts";
import { startLocalService } from "./local-service.ts";

describe("readLocalConfig", () => {
  it("has defaults for everything and fails loudly on a bad value", () => {
    expect(readLocalConfig({}, [])).toMatchObject({ port: 3000, sesPort: 8005, publicUrl: "http://localhost:3000", dataDir: ".data", fresh: false });
    expect(readLocalConfig({ PORT: "8080" }, ["--fresh"])).toMatchObject({ publicUrl: "http://localhost:8080", fresh: true });
    expect(() => readLocalConfig({ PORT: "http" }, [])).toThrow(/PORT must be a port number/);
    expect(() => readLocalConfig({ PUBLIC_URL: "javascript:alert(1)" }, [])).toThrow(/PUBLIC_URL/);
    expect(() => readLocalConfig({ BULLETIN_ADMIN_TOKEN: "short" }, [])).toThrow(/at least 20/);
  });
});

describe("the admin token", () => {
  it("is BULLETIN_ADMIN_TOKEN when set; otherwise generated once, kept for this user only, stored only as a hash", async () => {
    const given = "a-token-chosen-by-the-operator-0123456789";
    const dir1 = mkdtempSync(join(tmpdir(), "bulletin-admin-"));
    const s1 = await startLocalService(readLocalConfig({ PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dir1, BULLETIN_ADMIN_TOKEN: given }, []));
    try {
      expect(s1.adminToken).toBe(given);
      expect((await fetch(`${s1.url}/api/issues`, { headers: { authorization: `Bearer ${given}` } })).status).toBe(200);
      expect(await s1.deps.tokens.findByHash(given)).toBeNull();
    } finally {
      await s1.stop();
    }
    const dir2 = mkdtempSync(join(tmpdir(), "bulletin-admin-"));
    const s2 = await startLocalService(readLocalConfig({ PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dir2 }, []));
    try {
      expect(s2.adminToken).toMatch(/^blt_[\w-]{43}$/);
      expect(readFileSync(join(dir2, "admin-token"), "utf8").trim()).toBe(s2.adminToken);
      expect(statSync(join(dir2, "admin-token")).mode & 0o077).toBe(0);
    } finally {
      await s2.stop();
    }
  });
});
