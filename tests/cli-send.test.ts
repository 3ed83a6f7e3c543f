import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService } from "./support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
let issueId: string;
beforeAll(async () => {
  ctx = await startTestService();
  issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
});
afterAll(async () => ctx?.service.stop());

function bulletin(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["packages/cli/bin/bulletin.mjs", ...args], {
      env: { ...process.env, BULLETIN_URL: ctx.service.url, BULLETIN_TOKEN: ctx.tokens.secretariat },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (err += String(d)));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

describe("bulletin send", () => {
  it("--dry-run prints the counts per tier and sends nothing", async () => {
    const r = await bulletin(["send", issueId, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("dry run: would send to 报 report 8, 发 distribute 12, 送 copy 8 (28 in all)");
  });

  it("sends to all tiers and follows the progress bar to the end; a second send skips everyone", async () => {
    const r = await bulletin(["send", issueId]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\[#+\] 28\/28  sent 28  failed 0  skipped 0 .* finished/);
    expect(r.out).toMatch(/^send \S+ finished: 28 sent, 0 failed, 0 skipped, 0 unknown$/m);
    const again = await bulletin(["send", issueId, "--tiers", "报,发,送"]);
    expect(again.out).toMatch(/finished: 0 sent, 0 failed, 28 skipped, 0 unknown/);
    const sendId = /^send (\S+) finished/m.exec(r.out)![1]!;
    const pause = await bulletin(["sends", "pause", sendId]);
    expect(pause.code).toBe(1);
    expect(pause.err).toMatch(/HTTP 409/);
  }, 60_000);

  it("refuses an unknown tier and a bad time", async () => {
    expect((await bulletin(["send", issueId, "--tiers", "vip"])).err).toMatch(/unknown tier "vip"/);
    expect((await bulletin(["send", issueId, "--at", "tomorrow"])).err).toMatch(/--at must be a date/);
  });
});
