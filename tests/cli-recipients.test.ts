import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeGbk } from "../packages/core/src/text/gbk.test-support.ts";
import { cliFor } from "./support/cli.ts";
import { startTestService } from "./support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());
const tmp = mkdtempSync(join(tmpdir(), "bulletin-cli-rcpt-"));

/** The CLI against the test service, as its admin (BULLETIN_URL and BULLETIN_TOKEN). */
const bulletin = (args: string[], env: Record<string, string | undefined> = {}) => cliFor(ctx, "admin")(args, env);

describe("bulletin recipients (through BULLETIN_URL and BULLETIN_TOKEN)", () => {
  it("lists a tier, named in English or Chinese", async () => {
    const r = await bulletin(["recipients", "list", "--tier", "报", "--all"]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(8);
    expect(r.out).toMatch(/^leader1@sxca\.example\.gov\.cn\treport\tactive\t山西省通信管理局/m);
    expect(r.err).toMatch(/8 recipients/);
  });

  it("imports a CSV and reports each rejected row with its line; exports CSV", async () => {
    const file = join(tmp, "more.csv");
    writeFileSync(
      file,
      "email,name,organization,tier,role\nnew@bohao.example.com,新联系人,博浩科技,送,相关单位\nnot-an-address,坏,博浩科技,送,相关单位\n",
    );
    const r = await bulletin(["recipients", "import", file]);
    // A rejected row was not imported: exit 1, so a script does not take it for success.
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^created 1, updated 0, unchanged 0, skipped 0, rejected 1$/m);
    expect(r.out).toMatch(/line 3: rejected not-an-address: /);
    const out = join(tmp, "all.csv");
    expect((await bulletin(["recipients", "export", "--out", out])).code).toBe(0);
    // UTF-8 with a BOM, as the API sends it, so Excel on a Chinese Windows shows the names.
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain("new@bohao.example.com,新联系人,博浩科技,copy");
  });

  it("imports the sample list saved by Excel as GBK without touching a name, and refuses what it cannot read", async () => {
    // The bug this guards: Excel on Chinese Windows saves GBK; the import read it as UTF-8 and
    // "updated" every name to mojibake. Read right, the same list changes nothing.
    const sample = readFileSync("samples/recipients.csv", "utf8");
    const gbk = join(tmp, "excel-gbk.csv");
    writeFileSync(gbk, encodeGbk(sample));
    const r = await bulletin(["recipients", "import", gbk]);
    expect(r.out).toMatch(/^created 0, updated 0, unchanged 28, skipped 0, rejected 0$/m);
    expect(r.code).toBe(0);
    expect((await ctx.service.deps.recipients.get("leader1@sxca.example.gov.cn"))?.organization).toBe(
      "山西省通信管理局",
    );
    // --encoding overrides the detection: named wrongly, the file is refused, not imported garbled.
    const wrong = await bulletin(["recipients", "import", gbk, "--encoding", "utf-8"]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/not valid utf-8 text at byte \d+ \(line 2\)/);
    const latin1 = join(tmp, "latin1.csv");
    writeFileSync(
      latin1,
      Buffer.from("email,name,organization,tier,role\na@example.org,Jos\xe9,Soci\xe9t\xe9,copy,\n", "latin1"),
    );
    const refused = await bulletin(["recipients", "import", latin1]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/not UTF-8 text \(byte \d+, line 2\), and not GBK/);
    expect(await ctx.service.deps.recipients.get("a@example.org")).toBeNull();
  });

  it("says clearly when the token is missing, refused or too weak, or the service is not there", async () => {
    const missing = await bulletin(["recipients", "list"], { BULLETIN_TOKEN: "" });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/set BULLETIN_TOKEN/);
    const wrong = await bulletin(["recipients", "list"], { BULLETIN_TOKEN: "blt_wrong" });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/BULLETIN_TOKEN was not accepted/);
    const viewer = await bulletin(["recipients", "import", join(tmp, "more.csv")], {
      BULLETIN_TOKEN: ctx.tokens.viewer,
    });
    expect(viewer.err).toMatch(/role may not/);
    const away = await bulletin(["recipients", "list"], { BULLETIN_URL: "http://127.0.0.1:9" });
    expect(away.code).toBe(1);
    expect(away.err).toMatch(/cannot reach the service at http:\/\/127\.0\.0\.1:9/);
  });

  it("bulletin tokens: creates a token (the secret printed once), lists it without the secret, revokes it", async () => {
    const made = await bulletin([
      "tokens",
      "create",
      "--role",
      "viewer",
      "--label",
      "审计组",
      "--expires",
      "2099-12-31T23:59:59+08:00",
    ]);
    expect(made.code).toBe(0);
    const secret = made.out.trim();
    expect(secret).toMatch(/^blt_/);
    const id = /created token ([0-9a-f]{16}) \(viewer, 审计组, expires 2099-12-31T15:59:59\.000Z\)/.exec(made.err)?.[1];
    expect(id).toBeDefined();
    const listed = await bulletin(["tokens", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.out).not.toContain(secret);
    expect(listed.out).toMatch(new RegExp(`^${id}\tviewer\t审计组\t\\S+\tnever\t2099-12-31T15:59:59\\.000Z$`, "m"));
    expect((await bulletin(["recipients", "list"], { BULLETIN_TOKEN: secret })).code).toBe(0);
    expect((await bulletin(["tokens", "revoke", id!])).out).toBe(`revoked token ${id}\n`);
    const refused = await bulletin(["recipients", "list"], { BULLETIN_TOKEN: secret });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/BULLETIN_TOKEN was not accepted/);
    expect((await bulletin(["tokens", "create", "--role", "boss", "--label", "x"])).code).toBe(2);
  });
});
