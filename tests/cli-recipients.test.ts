import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "./support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());
const tmp = mkdtempSync(join(tmpdir(), "bulletin-cli-rcpt-"));

/** Runs the CLI against the test service (asynchronously: the service lives in this process). */
function bulletin(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["packages/cli/bin/bulletin.mjs", ...args], {
      env: { ...process.env, BULLETIN_URL: ctx.service.url, BULLETIN_TOKEN: ctx.tokens.admin, ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

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
    writeFileSync(file, "email,name,organization,tier,role\nnew@bohao.example.com,新联系人,博浩科技,送,相关单位\nnot-an-address,坏,博浩科技,送,相关单位\n");
    const r = await bulletin(["recipients", "import", file]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^created 1, updated 0, unchanged 0, skipped 0, rejected 1$/m);
    expect(r.out).toMatch(/line 3: rejected not-an-address: /);
    const out = join(tmp, "all.csv");
    expect((await bulletin(["recipients", "export", "--out", out])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("new@bohao.example.com");
  });

  it("says clearly when the token is missing, refused or too weak, or the service is not there", async () => {
    const missing = await bulletin(["recipients", "list"], { BULLETIN_TOKEN: "" });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/set BULLETIN_TOKEN/);
    const wrong = await bulletin(["recipients", "list"], { BULLETIN_TOKEN: "blt_wrong" });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/BULLETIN_TOKEN was not accepted/);
    const viewer = await bulletin(["recipients", "import", join(tmp, "more.csv")], { BULLETIN_TOKEN: ctx.tokens.viewer });
    expect(viewer.err).toMatch(/role may not/);
    const away = await bulletin(["recipients", "list"], { BULLETIN_URL: "http://127.0.0.1:9" });
    expect(away.code).toBe(1);
    expect(away.err).toMatch(/cannot reach the service at http:\/\/127\.0\.0\.1:9/);
  });
});
