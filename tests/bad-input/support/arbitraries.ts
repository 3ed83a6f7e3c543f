import fc from "fast-check";

/**
 * fast-check arbitraries for bad input: text with the characters that break parsers and headers,
 * and JSON values broken in a few places. Shared by the tests in tests/bad-input.
 */

/** Characters that are invisible, reorder text, end lines, or are not text at all. */
export const NASTY_CHARS = [
  "\u0000",
  "\u0001",
  "\u0007",
  "\b",
  "\t",
  "\u000B",
  "\f",
  "\r",
  "\n",
  "\r\n",
  "\u001A",
  "\u001B",
  "\u007F",
  "\u0085",
  "\u009F",
  "\u00A0",
  "\u2028",
  "\u2029",
  "\uFEFF",
  "\uFFFE",
  "\uFFFF",
  // bidi marks and overrides, zero-width characters
  "\u200B",
  "\u200C",
  "\u200D",
  "\u200E",
  "\u200F",
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2069",
  // lone surrogates, and a pair
  "\uD800",
  "\uDBFF",
  "\uDC00",
  "\uDFFF",
  "\uD83D\uDE00",
  "\u3000",
  "＠",
  "＜",
] as const;

/** Hostile markup in every dialect the text passes through: HTML, URLs, CSS, Mustache, MJML, Markdown. */
export const MARKUP_PAYLOADS = [
  `<script data-evil>evil(1)</script>`,
  `<img src=x onerror="evil(2)" data-evil>`,
  `<a href="javascript:evil(3)" data-evil>点我</a>`,
  `"><svg onload=evil(4) data-evil>`,
  `'><iframe srcdoc="<script>evil(5)</script>" data-evil></iframe>`,
  `</style><style data-evil>body{background:url(javascript:evil(6))}</style>`,
  `</title><b data-evil>`,
  `</textarea></mj-text><mj-raw><b data-evil>raw</b></mj-raw>`,
  `{{evil}}{{{evil}}}{{#evil}}x{{/evil}}`,
  `<!-- --><b data-evil>`,
  `[链接](javascript:evil(7))`,
  `&lt;b data-evil&gt; &amp;`,
] as const;

const chunk = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "【协会消息】",
      "山西通信行业协会召开会议",
      "正文内容。",
      "报：",
      "发:",
      "送 ：",
      "作者：",
      "引题：",
      "（张三）",
      "、",
      "—4—",
      "# ",
      "## ",
      "---",
      "{",
      "}",
      "\\",
      "abc",
      " ",
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_CHARS) },
  { weight: 1, arbitrary: fc.constantFrom(...MARKUP_PAYLOADS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom("\n", "\n\n", "\r\n", "\r") },
);
const plainHostile = fc.array(chunk, { maxLength: 60 }).map((parts) => parts.join(""));

/** Text of every kind the importers may be handed; one in ten carries a line tens of thousands of characters long. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: plainHostile },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        plainHostile,
        fc.constantFrom("字".repeat(40_000), "a".repeat(80_000), `${"。".repeat(20_000)}\n`, "\u202E".repeat(10_000)),
        plainHostile,
      )
      .map((parts) => parts.join("\n")),
  },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function pathsOf(value: Json, at: Path = []): Path[] {
  const here = [at];
  if (Array.isArray(value)) return here.concat(...value.map((v, i) => pathsOf(v, [...at, i])));
  if (value !== null && typeof value === "object")
    return here.concat(...Object.entries(value).map(([k, v]) => pathsOf(v, [...at, k])));
  return here;
}

/** Sets an own property, also for keys such as "__proto__" that an assignment would not create. */
function setOwn(target: Record<string, Json>, key: string, value: Json) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function nested(depth: number): Json {
  let v: Json = [];
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

type Mutation = { kind: "replace"; value: Json } | { kind: "delete" } | { kind: "add"; key: string; value: Json };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("replace" as const),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      fc.constantFrom<Json>(null, "", 0, -1, 1.5, true, [], {}, "x".repeat(100_000), nested(2_000), ["\u0000"], {
        "": null,
      }),
    ),
  }),
  fc.constant({ kind: "delete" as const }),
  fc.record({
    kind: fc.constant("add" as const),
    key: fc.oneof(
      fc.constantFrom("__proto__", "constructor", "toString", "", "title", "extra"),
      fc.string({ maxLength: 5 }),
    ),
    value: fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>,
  }),
);

function apply(root: Json, path: Path, m: Mutation): Json {
  if (path.length === 0) {
    if (m.kind === "replace") return m.value;
    if (m.kind === "add" && root !== null && typeof root === "object" && !Array.isArray(root))
      setOwn(root, m.key, m.value);
    return root;
  }
  const parent = path
    .slice(0, -1)
    .reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] as Json, root) as
    | Record<string, Json>
    | Json[];
  const key = path.at(-1)!;
  if (Array.isArray(parent)) {
    if (m.kind === "delete") parent.splice(key as number, 1);
    else if (m.kind === "replace") parent[key as number] = m.value;
    else parent.push(m.value);
  } else {
    if (m.kind === "delete") delete parent[key as string];
    else if (m.kind === "replace") setOwn(parent, key as string, m.value);
    else {
      const target = parent[key as string];
      if (target !== null && typeof target === "object" && !Array.isArray(target)) setOwn(target, m.key, m.value);
      else setOwn(parent, m.key, m.value);
    }
  }
  return root;
}

/**
 * A JSON value broken in `times` places: a node replaced by a value of any type (a huge string, a
 * deep nest), removed, or an object given an extra key (also `__proto__`). The input is not changed.
 *
 * @example
 * fc.sample(mutateJson({ ready: true }, 1), 3); // e.g. [{ ready: "" }, {}, { ready: true, __proto__: 1 }]
 */
export function mutateJson(value: unknown, times: number): fc.Arbitrary<unknown> {
  let arb: fc.Arbitrary<Json> = fc.constant(JSON.parse(JSON.stringify(value)) as Json);
  for (let i = 0; i < times; i++) {
    arb = arb.chain((v) => {
      const paths = pathsOf(v);
      return fc
        .tuple(fc.nat({ max: paths.length - 1 }), mutation)
        .map(([n, m]) => apply(JSON.parse(JSON.stringify(v)) as Json, paths[n]!, m));
    });
  }
  return arb;
}
