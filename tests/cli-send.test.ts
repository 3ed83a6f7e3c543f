import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliFor } from "./support/cli.ts";
import { startTestService } from "./support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
let issueId: string;
beforeAll(async () => {
  ctx = await startTestService();
  issueId = (await ctx.service.deps.issues.list()).items[0]!.id;
});
afterAll(async () => ctx?.service.stop());

/** The CLI against the test service, as the secretariat. */
const bulletin = (args: string[]) => cliFor(ctx, "secretariat")(args);

describe("bulletin send", () => {
  it("--dry-run prints the counts per tier and sends nothing", async () => {
    const r = await bulletin(["send", issueId, "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("dry run: would send to 报 report 8, 发 distribute 12, 送 copy 8 (28 in all)");
    // The pre-send checks, one line each, in the API's order; the local stack's links are http://localhost.
    const checks = r.out.slice(r.out.indexOf("pre-send checks")).split("\n").slice(1, 7);
    expect(checks.map((l) => l.trim().split(/\s+/).slice(0, 2))).toEqual([
      ["pass", "html-size"],
      ["pass", "links"],
      ["pass", "placeholders"],
      ["pass", "image-alt"],
      ["pass", "subject-length"],
      ["pass", "dkim"],
    ]);
    expect(r.out).toMatch(/^ {2}pass {2}dkim {12}本地环境不检查 DKIM。$/m);
  });

  it("sends to all tiers and follows the progress bar to the end; a second send skips everyone", async () => {
    const r = await bulletin(["send", issueId, "--wait-events", "0"]);
    expect(r.code).toBe(0);
    // Empty at the start, full at the end with the send's average rate.
    expect(r.err.split("\n")[0]).toMatch(/^\[\.+\] /);
    expect(r.err).toMatch(/\[#+\] 28\/28 {2}sent 28 {2}failed 0 {2}skipped 0 {2}finished, average \d+\.\d\/s/);
    expect(r.out).toMatch(
      /^send \S+ finished: 28 sent \(28 without a report yet\), 0 failed, 0 skipped, 0 unknown; average \d+\.\d\/s$/m,
    );
    const again = await bulletin(["send", issueId, "--tiers", "报,发,送", "--wait-events", "0"]);
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

  it("bulletin issues import stores a file and prints its id; a send without a number needs --without-number", async () => {
    const imported = await bulletin(["issues", "import", "samples/bulletins/000_72499c077e53a44e.txt"]);
    expect(imported.code).toBe(0);
    const id = imported.out.trim();
    expect((await ctx.service.deps.issues.get(id))?.format).toBe("text");
    expect(imported.err).toMatch(/no issue number yet/);
    const listed = await bulletin(["issues", "list"]);
    expect(listed.out.split("\n")[0]).toMatch(new RegExp(`^${id}\t\\(no number\\)\t`));
    expect(listed.out).toMatch(/\t2025年第5期（示例）\t/);
    const dry = await bulletin(["send", id, "--dry-run"]);
    expect(dry.out).toMatch(/warning: the issue has no number/);
    const refused = await bulletin(["send", id, "--tiers", "报"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/HTTP 409 — the issue has no number/);
    const sent = await bulletin(["send", id, "--tiers", "报", "--without-number", "--no-follow"]);
    expect(sent.code).toBe(0);
  }, 60_000);
});

describe("the simulator walk-through of the README", () => {
  let sim: Awaited<ReturnType<typeof startTestService>>;
  beforeAll(async () => {
    sim = await startTestService({ LOCAL_SES_EVENTS: "on" });
  }, 60_000);
  afterAll(async () => sim?.service.stop());

  it("ends with the mailbox simulator's outcomes: delivered, 1 bounced (发), 1 complained (送); the dry run then skips them", async () => {
    const run = cliFor(sim, "admin");
    expect((await run(["recipients", "import", "samples/simulator-recipients.csv"])).code).toBe(0);
    const id = sim.service.seeded!.issueId;
    const r = await run(["send", id]);
    // The simulator's complaint follows its delivery (as a real complaint follows the mail): the
    // command stops waiting once every copy has a report, which may be before the complaint lands.
    expect(r.out).toMatch(
      /finished: \d+ sent \(\d+ delivered, 1 bounced(, 1 complained)?\), 0 failed, 0 skipped, 0 unknown; average/,
    );
    const sendId = /send (\S+) finished/.exec(r.out)![1]!;
    let totals: Record<string, number> = {};
    for (let i = 0; i < 100 && totals.complained !== 1; i++) {
      totals = (
        (await (await sim.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { totals: Record<string, number> }
      ).totals;
      if (totals.complained !== 1) await new Promise((done) => setTimeout(done, 200));
    }
    expect(totals).toMatchObject({ bounced: 1, complained: 1, failed: 0, unknown: 0 });
    const dry = await run(["send", id, "--dry-run"]);
    expect(dry.out).toMatch(/would skip bounce@simulator\.amazonses\.com \(distribute\): bounced/);
    expect(dry.out).toMatch(/would skip complaint@simulator\.amazonses\.com \(copy\): complained/);
  }, 90_000);
});
