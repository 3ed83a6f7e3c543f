import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ImportError,
  InvalidInputError,
  decodeInput,
  importIssue,
  parseIssueJson,
  parseMarkdownIssue,
  SUPPORTED_ENCODINGS,
  IssueSchema,
} from "@bulletin/core";
import { issueArb } from "../../packages/core/src/issue/issue-arbitrary.test-support.ts";
import { hostileText, mutateJson } from "./support/arbitraries.ts";

// Bad input to the issue importers, beyond tests/import-text-properties.test.ts (which fuzzes the
// extracted-text parser over a bulletin alphabet): every format, text with the characters that break
// parsers (NUL, lone surrogates, bidi marks, BOMs, U+2028, huge lines), JSON that is almost an Issue,
// and random bytes into decodeInput. The contract: an Issue that passes IssueSchema, or an
// InvalidInputError whose message is one readable line — never anything else.
const SEED = 20251201;

/** Runs `fn`; returns its result, or the InvalidInputError it threw (anything else fails the test). */
function resultOrRefusal<T>(fn: () => T): { ok: T } | { refused: InvalidInputError } {
  try {
    return { ok: fn() };
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    return { refused: e };
  }
}

/** A clear error: a code, and a message on one line (a CR could overwrite the CLI's line, a LF forge one). */
function expectClearError(e: InvalidInputError) {
  expect(e.code).toMatch(/^[a-z-]+\.[a-z-]+$/);
  expect(e.message.length).toBeGreaterThan(0);
  expect(e.message).not.toMatch(/[\r\n\u2028\u2029]/);
}

describe("importIssue on hostile text, in every format", () => {
  it.each([
    ["detected", undefined],
    ["text", "text"],
    ["markdown", "markdown"],
    ["json", "json"],
  ] as const)("%s: a valid Issue, or an InvalidInputError with a one-line message", (_name, format) => {
    fc.assert(
      fc.property(hostileText, (text) => {
        const r = resultOrRefusal(() => importIssue(text, format ? { format } : {}));
        if ("refused" in r) return expectClearError(r.refused);
        expect(IssueSchema.parse(r.ok.issue)).toStrictEqual(r.ok.issue);
        if (format) expect(r.ok.format).toBe(format);
        for (const d of r.ok.dropped) expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
        for (const w of r.ok.warnings) expect(typeof w).toBe("string");
      }),
      { numRuns: 150, seed: SEED },
    );
  });

  it("reads a very long paragraph in linear time in every format (it was quadratic in Markdown)", () => {
    // 60,000 wrapped lines without a blank line between them: one paragraph of ~500 KB. Joining each
    // line onto the paragraph so far re-scanned it per line, and this took over a minute.
    const text = `## 标题\n\n${"信息通信行业持续推进高质量发展abc\n".repeat(60_000)}`;
    for (const format of ["markdown", "text"] as const) {
      const started = performance.now();
      const { issue } = importIssue(text, { format });
      expect(performance.now() - started, format).toBeLessThan(3_000);
      expect(issue.sections.flatMap((s) => s.articles).length).toBeGreaterThan(0);
    }
  });
});

describe("parseMarkdownIssue on line soup", () => {
  // Lines built from everything the format treats as markup, in any order, with any line ends.
  const markupLine = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "---",
          "#",
          "# ",
          "## ",
          "### ",
          "#### ",
          "【",
          "】",
          "报：",
          "发:",
          "送 ：",
          "引题：",
          "副题：",
          "作者：",
          "kicker: ",
          "title: ",
          "number:",
          "\\",
          "（张三）",
          "。",
          "、",
          " ",
          "\t",
        ),
        fc.constantFrom(
          "协会消息",
          "标题",
          "正文内容",
          "abc",
          "<b>",
          "{{x}}",
          "\u0000",
          "\r",
          "\u2028",
          "\u0085",
          "\uFEFF",
          "\u202E",
          "\uD800",
          "\uDC00",
        ),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join(""));
  // Half of them open with front matter (closed or not), where a line is read as "key: value".
  const frontMatter = fc.option(
    fc
      .tuple(fc.array(markupLine, { maxLength: 4 }), fc.boolean())
      .map(([lines, closed]) => ["---", ...lines, ...(closed ? ["---"] : [])]),
    { nil: [] },
  );
  const markdownText = fc
    .tuple(frontMatter, fc.array(markupLine, { maxLength: 30 }), fc.constantFrom("\n", "\r\n"))
    .map(([head, lines, eol]) => [...head, ...lines].join(eol));

  it("gives a valid Issue, or an ImportError naming a line that exists", () => {
    fc.assert(
      fc.property(markdownText, (text) => {
        const r = resultOrRefusal(() => parseMarkdownIssue(text));
        if ("ok" in r) {
          expect(IssueSchema.parse(r.ok.issue)).toStrictEqual(r.ok.issue);
          return;
        }
        expect(r.refused).toBeInstanceOf(ImportError);
        expectClearError(r.refused);
        const where = (r.refused as ImportError).where ?? "";
        const line = Number(/^line (\d+)$/.exec(where)?.[1]);
        expect(line).toBeGreaterThanOrEqual(1);
        expect(line).toBeLessThanOrEqual(text.split(/\r?\n/).length);
        expect(r.refused.message.startsWith(`line ${line}: `)).toBe(true);
      }),
      { numRuns: 400, seed: SEED },
    );
  });
});

describe("parseIssueJson on JSON that is almost an Issue", () => {
  // Valid Issues, then broken in one or two places: a value of another type, a key removed or added,
  // a huge string, a deep nest, a prototype key. Some mutations keep it valid, and then it must import.
  const almostIssue = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(issueArb, fc.integer({ min: 1, max: 2 })).chain(([issue, times]) => mutateJson(issue, times)),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  );

  it("imports exactly when IssueSchema accepts the value; otherwise names the field", () => {
    fc.assert(
      fc.property(almostIssue, (value) => {
        const text = JSON.stringify(value);
        const expected = IssueSchema.safeParse(value);
        const r = resultOrRefusal(() => parseIssueJson(text));
        if (expected.success) {
          expect("ok" in r ? r.ok.issue : r.refused.message).toStrictEqual(expected.data);
          return;
        }
        expect("refused" in r && r.refused.code).toBe("import.json-shape");
        if ("refused" in r) {
          expectClearError(r.refused);
          const path = expected.error.issues[0]!.path;
          // The message names the first wrong field by its path, e.g. sections[0].articles[1].title.
          const last = path.at(-1);
          if (typeof last === "string") expect(r.refused.message).toContain(last);
          if (typeof last === "number") expect(r.refused.message).toContain(`[${last}]`);
        }
      }),
      { numRuns: 250, seed: SEED },
    );
  });

  it("refuses text that is not JSON with the line of the syntax error", () => {
    const jsonish = fc
      .array(
        fc.constantFrom(
          "{",
          "}",
          "[",
          "]",
          '"',
          ":",
          ",",
          "\n",
          "sections",
          "distribution",
          "null",
          "1e999",
          "-",
          "\\u",
          "\uD800",
          "\u0000",
          " ",
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(jsonish, (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          const r = resultOrRefusal(() => parseIssueJson(text));
          expect("refused" in r && r.refused.code).toBe("import.json-syntax");
          if ("refused" in r) expectClearError(r.refused);
          return;
        }
        expect(IssueSchema.safeParse(value).success).toBe(false);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it("survives deep nesting and huge strings", () => {
    const deep = `{"sections":${"[".repeat(50_000)}${"]".repeat(50_000)},"distribution":{"report":[],"distribute":[],"copy":[]}}`;
    expect(() => parseIssueJson(deep)).toThrow(ImportError);
    const huge = {
      sections: [{ name: "栏目", articles: [{ title: "标".repeat(2_000_000), authors: [], paragraphs: [] }] }],
      distribution: { report: [], distribute: [], copy: [] },
    };
    expect(parseIssueJson(JSON.stringify(huge)).issue.sections[0]!.articles[0]!.title).toHaveLength(2_000_000);
  });
});

describe("decodeInput on random bytes", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  // Well-formed pieces and the ways UTF-8 goes wrong: stray continuation bytes, truncated
  // sequences, overlong forms, encoded surrogates, code points past U+10FFFF, GBK bytes.
  const piece = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 8 }).map(utf8),
    fc.constantFrom(...["【协会消息】\n", "报：", "\r\n", "\t", "\u001A"].map(utf8)),
    fc
      .constantFrom(
        [0x80],
        [0xbf],
        [0xc0, 0x80],
        [0xc1, 0xbf],
        [0xc3],
        [0xe4, 0xb8],
        [0xe0, 0x80, 0x80],
        [0xe0, 0x9f, 0xbf],
        [0xed, 0xa0, 0x80],
        [0xed, 0xbf, 0xbf],
        [0xf0, 0x80, 0x80, 0x80],
        [0xf0, 0x8f, 0xbf, 0xbf],
        [0xf4, 0x90, 0x80, 0x80],
        [0xf5, 0x80, 0x80, 0x80],
        [0xff],
        [0xfe],
        [0xd6, 0xd0, 0xce, 0xc4],
        [0x00],
        [0x07],
        [0x1b],
      )
      .map((b) => new Uint8Array(b)),
    fc.uint8Array({ maxLength: 6 }),
  );
  const prefix = fc.constantFrom(
    [],
    [],
    [0xef, 0xbb, 0xbf],
    [0xff, 0xfe],
    [0xfe, 0xff],
    [0x25, 0x50, 0x44, 0x46, 0x2d],
    [0x50, 0x4b, 0x03, 0x04],
  );
  const bytes = fc
    .tuple(prefix, fc.array(piece, { maxLength: 12 }))
    .map(([p, pieces]) => Uint8Array.from([...p, ...pieces.flatMap((x) => [...x])]));
  const encoding = fc.constantFrom(undefined, undefined, undefined, ...SUPPORTED_ENCODINGS, "UTF-8", "latin-9", "");
  const fatal = (b: Uint8Array) => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(b);

  it("returns text with no control characters, or an ImportError saying which kind of file it is", () => {
    fc.assert(
      fc.property(bytes, encoding, (input, enc) => {
        const r = resultOrRefusal(() => decodeInput(input, enc === undefined ? {} : { encoding: enc }));
        if ("refused" in r) {
          expect(r.refused).toBeInstanceOf(ImportError);
          expect([
            "import.empty",
            "import.pdf",
            "import.binary",
            "text.invalid",
            "text.undetectable",
            "text.charset-unknown",
            "text.bom-mismatch",
            "text.replacement-char",
          ]).toContain(r.refused.code);
          return expectClearError(r.refused);
        }
        expect(r.ok.replace(/\u001A$/u, "")).not.toMatch(/[\u0000-\u0008\u000E-\u001F]/u);
        // Never a replacement character: what could not be read is refused, not papered over.
        expect(r.ok).not.toContain("\uFFFD");
        // Plain UTF-8 decodes losslessly: the text is exactly the bytes (less a BOM).
        const valid = (() => {
          try {
            fatal(input);
            return true;
          } catch {
            return false;
          }
        })();
        if (
          valid &&
          (!enc || enc.toLowerCase() === "utf-8") &&
          !(input[0] === 0xff && input[1] === 0xfe) &&
          !(input[0] === 0xfe && input[1] === 0xff)
        ) {
          const body = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? input.subarray(3) : input;
          expect(utf8(r.ok)).toEqual(body);
        }
      }),
      { numRuns: 600, seed: SEED },
    );
  });

  it("reads bytes that are not UTF-8 as GB18030 Chinese, or points at the first byte that breaks UTF-8, and at its line", () => {
    fc.assert(
      fc.property(bytes, (input) => {
        if (input.length === 0 || input.includes(0) || [0x25, 0x50, 0xff, 0xfe].includes(input[0]!)) return;
        let ok = true;
        try {
          fatal(input);
        } catch {
          ok = false;
        }
        if (ok) return;
        const r = resultOrRefusal(() => decodeInput(input));
        if ("ok" in r) {
          // Taken as GBK/GB18030: exactly what that decoder reads, with nothing from the user-defined areas.
          expect(r.ok).toBe(new TextDecoder("gb18030", { fatal: true }).decode(input));
          expect(r.ok).not.toMatch(/[\uE000-\uF8FF]/u);
          return;
        }
        if (r.refused.code === "import.binary") return;
        // Undetectable, or (after a UTF-8 byte-order mark) not the UTF-8 the mark promised.
        expect(r.refused.code).toBe(
          input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? "text.invalid" : "text.undetectable",
        );
        const { byte: at, line } = (r.refused as ImportError).details as { byte: number; line: number };
        expect((r.refused as ImportError).where).toBe(`line ${line}`);
        // Everything before it is good UTF-8, and the sequence starting there is not.
        expect(() => fatal(input.subarray(0, at))).not.toThrow();
        expect(() => fatal(input.subarray(0, Math.min(input.length, at + 4)))).toThrow();
        expect(line).toBe(input.subarray(0, at).filter((b) => b === 0x0a).length + 1);
      }),
      { numRuns: 600, seed: SEED },
    );
  });
});
