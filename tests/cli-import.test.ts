import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { IssueSchema } from "@bulletin/core";
import { runCli } from "./support/cli.ts";

const SEED_004 = "samples/bulletins/004_c6f4c6a81dc11ba8.txt";
const SEED_000 = "samples/bulletins/000_72499c077e53a44e.txt";

const bulletin = (...args: string[]) => runCli(args);

const tmp = mkdtempSync(join(tmpdir(), "bulletin-cli-"));
function file(name: string, content: string | Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
}

describe("bulletin import", () => {
  it("shows the 004 seed's 13 articles under their sections, with authors and the 报/发/送 lists", async () => {
    const { code, out } = await bulletin("import", SEED_004);
    expect(code).toBe(0);
    expect(out).toContain("5 sections, 13 articles");
    const sections = [...out.matchAll(/^【(.+)】$/gmu)].map((m) => m[1]);
    expect(sections).toEqual(["高层信息", "行业综合", "协会消息", "会员动态"]);
    const numbered = [...out.matchAll(/^\s*(\d+)\. (.+)$/gmu)].map((m) => m[2]);
    expect(numbered).toHaveLength(13);
    expect(numbered[8]).toBe("山西电信“5·17”世界电信日和山西总工会服务户外劳动者公益爱心活动“联姻”");
    expect(out).toMatch(/作者 朱悦 于俊玲 · 4 段/u);
    expect(out).toContain(
      "报 report (5): 中国通信企业协会、山西省民政厅社会组织管理局、山西省通信管理局领导、各中心、各处室",
    );
    expect(out).toContain("发 distribute (4): 本会副理事长、常务理事、理事、团体会员单位");
    expect(out).toContain("送 copy (2): 各省通信行业协会、相关单位");
  });

  it("with --json prints the Issue JSON and nothing else", async () => {
    const { code, out } = await bulletin("import", SEED_000, "--json");
    expect(code).toBe(0);
    const issue = IssueSchema.parse(JSON.parse(out));
    expect(issue.sections.at(-1)?.articles[0]).toMatchObject({ title: "初见雄安", authors: ["张华焰"] });
  });

  it("writes JSON or Markdown with --out, and a corrected Markdown file imports with the correction", async () => {
    const json = join(tmp, "004.json");
    const md = join(tmp, "004.md");
    expect((await bulletin("import", SEED_004, "--out", json)).code).toBe(0);
    expect((await bulletin("import", SEED_004, "--out", md)).code).toBe(0);
    const fromJson = JSON.parse((await bulletin("import", json, "--json")).out);
    expect(fromJson).toEqual(JSON.parse(readFileSync(json, "utf8")));
    expect(JSON.parse((await bulletin("import", md, "--json")).out)).toEqual(fromJson);

    // The clerk splits the two headlines the parser joined into a title and a subtitle.
    const edited = readFileSync(md, "utf8").replace(
      "## 博浩科技亮相2025中国移动“供赢精采 蓉耀未来”产业对接大会",
      "## 博浩科技亮相2025中国移动\n副题：“供赢精采 蓉耀未来”产业对接大会",
    );
    const fixed = JSON.parse((await bulletin("import", file("fixed.md", edited), "--json")).out);
    expect(fixed.sections[4].articles[4]).toMatchObject({
      title: "博浩科技亮相2025中国移动",
      subtitle: "“供赢精采 蓉耀未来”产业对接大会",
    });
  });

  it("reads GBK text by its bytes, or with --encoding gb18030", async () => {
    // "【协会消息】\n标题\n正文一段。" in GB18030, as Windows Notepad saves it.
    const gbk = Buffer.from("a1bed0adbbe1cffbcfa2a1bf0ab1eacce20ad5fdcec4d2bbb6cea1a3", "hex");
    const path = file("gbk.txt", gbk);
    for (const args of [[], ["--encoding", "gb18030"], ["--encoding", "GBK"]]) {
      const { code, out } = await bulletin("import", path, ...args, "--json");
      expect(code).toBe(0);
      expect(JSON.parse(out).sections[0]).toMatchObject({
        name: "协会消息",
        articles: [{ title: "标题", paragraphs: ["正文一段。"] }],
      });
    }
    // Named wrongly, it is refused rather than read as something else.
    expect((await bulletin("import", path, "--encoding", "utf-8")).err).toMatch(
      /not valid utf-8 text at byte 0 \(line 1\)/,
    );
  });

  it.each([
    ["an empty file", "empty.txt", "", /the file is empty/],
    ["a binary file", "data.bin", new Uint8Array([0, 1, 2, 3, 0xff]), /binary file/],
    ["a PDF with nothing after its header", "issue.pdf", "%PDF-1.7\n%âãÏÓ\n", /this PDF is damaged/],
    ["a .pdf that is no PDF", "notes.pdf", "会议纪要", /not a PDF/],
    ["text that is not a bulletin", "readme.txt", "Hello, this is a README.\n", /not a bulletin/],
    [
      "Latin-1 text, neither UTF-8 nor GBK",
      "latin1.txt",
      Buffer.from("Titel\nJos\xe9 M\xfcller\n", "latin1"),
      /not UTF-8 text \(byte 9, line 2\), and not GBK\/GB18030.*--encoding/,
    ],
    ["JSON of the wrong shape", "bad.json", '{"sections":[{"articles":[]}]}', /not an Issue: sections\[0\]\.name/],
    ["broken JSON", "broken.json", '{"sections": [', /not valid JSON/],
  ])("refuses %s with exit 1 and one clear line", async (_what, name, content, message) => {
    const { code, out, err } = await bulletin("import", file(name, content));
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(message);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("refuses an unreadable path with exit 1 naming it", async () => {
    const { code, err } = await bulletin("import", join(tmp, "missing.txt"));
    expect(code).toBe(1);
    expect(err.trim()).toBe(`bulletin import: cannot read ${join(tmp, "missing.txt")}: no such file`);
    expect((await bulletin("import", tmp)).err).toMatch(/it is a directory/);
  });

  it("answers a wrong call with the usage and exit 2", async () => {
    expect((await bulletin("import")).code).toBe(2);
    const r = await bulletin("import", SEED_004, "--bogus");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/usage: bulletin import FILE/);
    expect((await bulletin("frobnicate")).code).toBe(2);
    const help = await bulletin("import", "--help");
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/usage: bulletin import FILE/);
  });
});
