import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.ts";

const SEED_000 = "samples/bulletins/000_72499c077e53a44e.txt";
const SEED_004 = "samples/bulletins/004_c6f4c6a81dc11ba8.txt";
const tmp = mkdtempSync(join(tmpdir(), "bulletin-render-"));

const bulletin = (args: string[], env: Record<string, string> = {}) => runCli(args, { env });

describe("bulletin render", () => {
  it("writes DIR/<tier>.html and .txt for the 送 tier with the 抄送 wording, and prints their sizes", async () => {
    const out = join(tmp, "x");
    const r = await bulletin(["render", SEED_000, "--tier", "copy", "--out", out], {
      PUBLIC_URL: "https://bulletin.example.org",
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`${out}/copy\\.html  \\d+\\.\\d KB`));
    expect(r.out).toMatch(new RegExp(`${out}/copy\\.txt  \\d+\\.\\d KB`));
    const html = readFileSync(join(out, "copy.html"), "utf8");
    const text = readFileSync(join(out, "copy.txt"), "utf8");
    expect(Buffer.byteLength(html)).toBeLessThan(102 * 1024);
    expect(html).toContain("“抄送”名单");
    expect(html).toContain('href="https://bulletin.example.org/issues/preview"');
    expect(text).toContain("初见雄安");
    expect(r.out).toContain("subject: 【抄送】");
  });

  it("renders all three tiers when --tier is left out, with settings from a file", async () => {
    const out = join(tmp, "all");
    const settings = join(tmp, "settings.json");
    writeFileSync(
      settings,
      JSON.stringify({ bulletinName: "山西通信行业简报", tiers: { report: { note: "请审阅。" } } }),
    );
    const r = await bulletin(["render", SEED_004, "--out", out, "--settings", settings]);
    expect(r.code).toBe(0);
    for (const tier of ["report", "distribute", "copy"]) expect(r.out).toContain(`${tier}.html`);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("请审阅。");
    expect(readFileSync(join(out, "copy.html"), "utf8")).not.toContain("请审阅。");
    expect(r.out).toContain("subject: 【报送】山西通信行业简报");
  });

  it("says so when it had to render the short version", async () => {
    const long = "信息通信行业持续推进高质量发展，网络基础设施建设成效显著。".repeat(40);
    const big = {
      sections: [
        {
          name: "长文",
          articles: Array.from({ length: 40 }, (_, i) => ({
            title: `第${i + 1}篇`,
            authors: [],
            paragraphs: ["首段。", long, long],
          })),
        },
      ],
      distribution: { report: [], distribute: ["团体会员单位"], copy: [] },
    };
    const file = join(tmp, "big.json");
    writeFileSync(file, JSON.stringify(big));
    const r = await bulletin(["render", file, "--tier", "distribute", "--out", join(tmp, "big")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/short version/);
  });

  it.each([
    [["render", SEED_000, "--tier", "vip"], 2, /--tier must be one of report, distribute, copy/],
    [["render", SEED_000, "--settings", "/nonexistent.json"], 1, /cannot read \/nonexistent\.json: no such file/],
  ])("refuses %j", async (args, code, message) => {
    const r = await bulletin(args as string[]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
  });

  it("refuses settings that do not validate, naming the field", async () => {
    const settings = join(tmp, "bad-settings.json");
    writeFileSync(settings, JSON.stringify({ tiers: { report: { label: "" } } }));
    const r = await bulletin(["render", SEED_000, "--settings", settings]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tiers\.report\.label/);
  });
});
