import { InvalidInputError } from "../errors/errors.ts";

/** The encodings text may arrive in; Chinese Windows (Excel, Notepad) saves GBK, a subset of GB18030. */
export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "gb18030" | "big5";

/** How a clerk, a tool or an HTTP header may name them, case-insensitively. */
const LABELS: Record<string, TextEncodingName> = {
  "utf-8": "utf-8",
  utf8: "utf-8",
  "unicode-1-1-utf-8": "utf-8",
  gb18030: "gb18030",
  gbk: "gb18030",
  gb2312: "gb18030",
  cp936: "gb18030",
  "windows-936": "gb18030",
  "x-gbk": "gb18030",
  "euc-cn": "gb18030",
  "utf-16": "utf-16le",
  "utf-16le": "utf-16le",
  "utf-16be": "utf-16be",
  big5: "big5",
};

/** The names accepted for an encoding (the --encoding option, a declared charset). */
export const ENCODING_LABELS: readonly string[] = Object.keys(LABELS);

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** How the encoding was chosen: named by the caller (a declared charset or --encoding), a byte-order mark, or the bytes themselves. */
  how: "declared" | "bom" | "detected";
}

const BOMS: { bytes: readonly number[]; encoding: TextEncodingName }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: "utf-8" },
  { bytes: [0xff, 0xfe], encoding: "utf-16le" },
  { bytes: [0xfe, 0xff], encoding: "utf-16be" },
];

/**
 * A GBK reading counts as Chinese text only when at least this share of its two-byte characters
 * lies in GB2312's main area (both bytes A1–FE, leads A1–F7): everyday Chinese is almost all there,
 * while UTF-8 or Latin-1 bytes read as GBK land mostly outside it (and in the user-defined areas).
 */
const GB2312_SHARE = 0.6;

/**
 * Turns bytes into text without ever corrupting it: the encoding is the one named (a declared
 * `charset`, or --encoding on the CLI), else the one a byte-order mark says, else UTF-8 when the bytes
 * are valid UTF-8, else GB18030/GBK when they read as Chinese text in it. Anything else is refused
 * with InvalidInputError, never decoded with U+FFFD in place of what could not be read; text that
 * already holds U+FFFD (garbled by an earlier conversion) is refused too, with its line.
 *
 * Error codes: text.charset-unknown, text.bom-mismatch, text.invalid, text.undetectable,
 * text.replacement-char; each error's `details` hold the line (and byte, encoding) for the message.
 *
 * @example
 * decodeText(Buffer.from("d6d0cec4", "hex")); // { text: "中文", encoding: "gb18030", how: "detected" }
 * decodeText(bytes, { charset: "utf-8" }); // a declared charset is used as it is, or the text refused
 */
export function decodeText(bytes: Uint8Array, opts: { charset?: string | undefined } = {}): DecodedText {
  const named =
    opts.charset === undefined || opts.charset.trim() === "" ? undefined : opts.charset.trim().toLowerCase();
  const declared = named === undefined ? undefined : LABELS[named];
  if (named !== undefined && declared === undefined) {
    throw new InvalidInputError(
      "text.charset-unknown",
      `unknown encoding "${opts.charset}" — use UTF-8 or GB18030 (GBK); accepted names: ${ENCODING_LABELS.join(", ")}`,
      {
        details: { charset: String(opts.charset).slice(0, 40) },
      },
    );
  }
  const bom = BOMS.find((b) => b.bytes.every((x, i) => bytes[i] === x));
  if (bom && declared && !sameFamily(bom.encoding, declared)) {
    throw new InvalidInputError(
      "text.bom-mismatch",
      `the text was said to be ${declared}, but it starts with the byte-order mark of ${bom.encoding}`,
      {
        details: { encoding: declared, bom: bom.encoding },
      },
    );
  }
  let decoded: DecodedText;
  if (bom) decoded = { text: strict(bytes, bom.encoding, bom.bytes.length), encoding: bom.encoding, how: "bom" };
  else if (declared) decoded = { text: strict(bytes, declared), encoding: declared, how: "declared" };
  else decoded = detect(bytes);
  const bad = decoded.text.indexOf("\uFFFD");
  if (bad >= 0) {
    const line = lineAt(decoded.text, bad);
    throw new InvalidInputError(
      "text.replacement-char",
      `line ${line} holds U+FFFD (�): the text was already garbled by an earlier conversion; take it from the original file`,
      {
        details: { line },
      },
    );
  }
  return decoded;
}

/** UTF-16 named without its byte order is settled by the mark. */
function sameFamily(a: TextEncodingName, b: TextEncodingName): boolean {
  return a === b || (a.startsWith("utf-16") && b.startsWith("utf-16"));
}

/** Decodes in the given encoding (after `skip` bytes of byte-order mark) or refuses, saying where the bytes stop being that encoding. */
function strict(bytes: Uint8Array, encoding: TextEncodingName, skip = 0): string {
  const body = bytes.subarray(skip);
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const found =
      encoding === "utf-8" ? firstInvalidUtf8(body) : encoding === "gb18030" ? firstInvalidGb18030(body) : undefined;
    const at = found === undefined ? undefined : found + skip;
    const where: Record<string, number> = at === undefined ? {} : { byte: at, line: lineOf(bytes, at) };
    const place = at === undefined ? "" : ` at byte ${at} (line ${lineOf(bytes, at)})`;
    const hint =
      encoding === "utf-8"
        ? " — if it was saved as GBK/GB18030 (Excel or Notepad on Chinese Windows), name that encoding (--encoding gb18030)"
        : "";
    throw new InvalidInputError("text.invalid", `not valid ${encoding} text${place}${hint}`, {
      details: { encoding, ...where },
    });
  }
}

function detect(bytes: Uint8Array): DecodedText {
  const badUtf8 = firstInvalidUtf8(bytes);
  if (badUtf8 === undefined)
    return { text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes), encoding: "utf-8", how: "detected" };
  if (firstInvalidGb18030(bytes) === undefined && looksLikeGbChinese(bytes)) {
    const text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    // The user-defined areas read as private-use characters: no real text has them.
    if (!/[\uE000-\uF8FF]/u.test(text)) return { text, encoding: "gb18030", how: "detected" };
  }
  const line = lineOf(bytes, badUtf8);
  throw new InvalidInputError(
    "text.undetectable",
    `not UTF-8 text (byte ${badUtf8}, line ${line}), and not GBK/GB18030 Chinese either — save it as UTF-8, or name its encoding (--encoding gb18030)`,
    { details: { byte: badUtf8, line } },
  );
}

/** True when most two-byte characters of a GBK reading are everyday Chinese (see GB2312_SHARE). */
function looksLikeGbChinese(bytes: Uint8Array): boolean {
  let multi = 0;
  let common = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x81 || b === 0xff) {
      i++;
      continue;
    }
    const t = bytes[i + 1] ?? 0;
    multi++;
    if (t >= 0x30 && t <= 0x39) {
      i += 4;
      continue;
    }
    if (b >= 0xa1 && b <= 0xf7 && t >= 0xa1 && t <= 0xfe) common++;
    i += 2;
  }
  return multi > 0 && common / multi >= GB2312_SHARE;
}

/**
 * The offset of the first byte that breaks UTF-8. The second byte's range depends on the first
 * (Unicode's table of well-formed sequences): overlong forms (E0 80, F0 80), encoded surrogates
 * (ED A0) and code points past U+10FFFF (F4 90) are errors too, as TextDecoder says.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    const [lo, hi] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    if (n > 0 && ((bytes[i + 1] ?? 0) < lo || (bytes[i + 1] ?? 0) > hi)) return i;
    for (let k = 2; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return undefined;
}

/** The offset of the first byte sequence GB18030 does not define (one, two or four bytes). */
function firstInvalidGb18030(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b <= 0x80) {
      i++;
      continue;
    }
    if (b === 0xff) return i;
    const t = bytes[i + 1];
    if (t === undefined) return i;
    if (t >= 0x30 && t <= 0x39) {
      const t3 = bytes[i + 2] ?? 0;
      const t4 = bytes[i + 3] ?? 0;
      if (t3 < 0x81 || t3 > 0xfe || t4 < 0x30 || t4 > 0x39) return i;
      i += 4;
      continue;
    }
    if (t < 0x40 || t === 0x7f || t === 0xff) return i;
    i += 2;
  }
  return undefined;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * The charset parameter of a Content-Type header, if any.
 *
 * @example
 * charsetOf("text/csv; charset=GBK"); // "GBK"
 */
export function charsetOf(contentType: string | undefined | null): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? "");
  return m?.[1];
}
