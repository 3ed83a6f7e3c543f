import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePdfText, IssueSchema } from "@bulletin/core";
import { outlineOf } from "./expected/outline-of.ts";
import type { ExpectedOutline } from "./expected/outline-type.ts";
import { expected as expected000 } from "./expected/seed-000.ts";
import { expected as expected004 } from "./expected/seed-004.ts";
import { unaccounted } from "./support/char-accounting.ts";
import { layoutPdfText } from "./support/layout-pdf-text.ts";

const seeds: [string, ExpectedOutline][] = [
  ["samples/bulletins/000_72499c077e53a44e.txt", expected000],
  ["samples/bulletins/004_c6f4c6a81dc11ba8.txt", expected004],
];

describe.each(seeds)("the seed %s", (file, expected) => {
  const text = readFileSync(file, "utf8");
  const result = parsePdfText(text);
  const { issue, dropped } = result;

  it("parses to the hand-written outline: sections, headings, authors, paragraphs, tiers", () => {
    expect(outlineOf(issue)).toEqual(expected);
    expect(IssueSchema.parse(issue)).toEqual(issue);
  });

  it("keeps every character of the text exactly once, or lists it as dropped", () => {
    expect(unaccounted(text, result)).toEqual({});
  });

  it("drops only page numbers, masthead fragments and markup", () => {
    for (const d of dropped) {
      if (d.reason === "markup") expect(d.text).toMatch(/^(【】|（）|[报发送]：|[、]+)$/u);
      else expect(d.text).toMatch(/^(—\d+—|日)$/u);
    }
  });

  it.each([
    ["wrapped at 26 characters", { chars: 26 }],
    ["wrapped at 34 characters", { chars: 34 }],
    ["with CRLF line ends", { chars: 32, crlf: true }],
    ["with no blank lines", { chars: 32, blankLines: false }],
    ["with blank lines and page breaks every 23 lines", { chars: 33, blankLines: true, pageEvery: 23 }],
    ["with the 报 label lost", { chars: 35, loseReportLabel: true }],
    // Widths are chosen so that no paragraph ends exactly at the margin right before a paragraph of a
    // single short line: that one layout cannot be told from a paragraph's last line (see README).
  ])("parses the same when reflowed %s", (_name, opts) => {
    const reflowed = layoutPdfText(issue, opts);
    expect(parsePdfText(reflowed).issue).toEqual(issue);
  });
});
