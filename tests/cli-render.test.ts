import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const BIN = "packages/cli/bin/bulletin.mjs";
const SEED_000 = "samples/bulletins/000_72499c077e53a44e.txt";
const SEED_004 = "samples/bulletins/004_c6f4c6a81dc11ba8.txt";
const tmp = mkdtempSync(join(tmpdir(), "bulletin-render-"));

function bulletin(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("bulletin render", () => {
  it("writes DIR/<tier>.html and .txt for the 送 tier with the 抄送 wording, and prints their sizes", () => {
    const out = join(tmp, "x");
    const r = bulletin(["render", SEED_000, "--tier", "copy", "--out", out], {
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

  it("renders all three tiers when --tier is left out, with settings from a file", () => {
    const out = join(tmp, "all");
    const settings = join(tmp, "settings.json");
    writeFileSync(
      settings,
      JSON.stringify({ bulletinName: "山西通信行业简报", tiers: { report: { note: "请审阅。" } } }),
    );
    const r = bulletin(["render", SEED_004, "--out", out, "--settings", settings]);
    expect(r.code).toBe(0);
    for (const tier of ["report", "distribute", "copy"]) expect(r.out).toContain(`${tier}.html`);
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("请审阅。");
    expect(readFileSync(join(out, "copy.html"), "utf8")).not.toContain("请审阅。");
    expect(r.out).toContain("subject: 【报送】山西通信行业简报");
  });

  it("says so when it had to render the short version", () => {
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
    const r = bulletin(["render", file, "--tier", "distribute", "--out", join(tmp, "big")]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/short version/);
  });

  it.each([
    [["render", SEED_000, "--tier", "vip"], 2, /--tier must be one of report, distribute, copy/],
    [["render", SEED_000, "--settings", "/nonexistent.json"], 1, /cannot read \/nonexistent\.json: no such file/],
  ])("refuses %j", (args, code, message) => {
    const r = bulletin(args as string[]);
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
  });

  it("refuses settings that do not validate, naming the field", () => {
    const settings = join(tmp, "bad-settings.json");
    writeFileSync(settings, JSON.stringify({ tiers: { report: { label: "" } } }));
    const r = bulletin(["render", SEED_000, "--settings", settings]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tiers\.report\.label/);
  });
});

describe("bulletin preview", () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill("SIGTERM"));

  it("serves all three tiers on localhost, HTML and text, until stopped", async () => {
    child = spawn(process.execPath, [BIN, "preview", SEED_004, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = "";
      child!.stdout!.on("data", (d) => {
        seen += String(d);
        const m = /(http:\/\/localhost:\d+\/)/.exec(seen);
        if (m) resolve(m[1]!);
      });
      child!.once("exit", (code) => reject(new Error(`preview exited with ${code}`)));
    });
    const index = await (await fetch(url)).text();
    for (const tier of ["report", "distribute", "copy"]) expect(index).toContain(`/${tier}.html`);
    const html = await fetch(`${url}report.html`);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain("今年信息通信行业将办好十件实事");
    expect(await (await fetch(`${url}copy.txt`)).text()).toContain("通信行业简报（抄送）");
    expect((await fetch(`${url}nope`)).status).toBe(404);
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
