import { ImportError } from "../../errors/errors.ts";

/** Encodings a clerk may name with --encoding; Windows Notepad in China saves GBK (a subset of GB18030). */
export const SUPPORTED_ENCODINGS = ["utf-8", "gb18030", "gbk", "utf-16le", "utf-16be", "big5"] as const;

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // .docx, .xlsx, .zip

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Turns a file's bytes into text, or explains in one line why they are not text: empty, a PDF or
 * Word file, binary, or not UTF-8 (with the offset of the first
 * bad byte and a hint for GBK files). UTF-8 and UTF-16 byte-order marks are honoured.
 *
 * @example
 * decodeInput(new TextEncoder().encode("【协会消息】")); // "【协会消息】"
 */
export function decodeInput(bytes: Uint8Array, opts: { encoding?: string } = {}): string {
  if (bytes.length === 0) throw new ImportError("import.empty", "the file is empty");
  if (startsWith(bytes, PDF_MAGIC)) {
    throw new ImportError("import.pdf", "this is a PDF, not text — import it as the bulletin's PDF (its name ending in .pdf, or --format pdf)");
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    throw new ImportError("import.binary", "this is a Word/zip file, not text — save it as plain text (UTF-8) or Markdown first");
  }
  let encoding = opts.encoding?.toLowerCase() ?? "utf-8";
  if (!(SUPPORTED_ENCODINGS as readonly string[]).includes(encoding)) {
    throw new ImportError("import.encoding", `unknown encoding "${opts.encoding}" — use one of ${SUPPORTED_ENCODINGS.join(", ")}`);
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = "utf-16le";
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = "utf-16be";
  else if (encoding === "utf-8") {
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new ImportError("import.binary", `this is a binary file, not text (a NUL byte at offset ${nul})`);
  }
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    if (/[\u0000-\u0008\u000E-\u001F]/u.test(text.replace(/\u001A$/u, ""))) {
      throw new ImportError("import.binary", "this is a binary file, not text (it has control characters)");
    }
    return text;
  } catch (e) {
    if (e instanceof ImportError) throw e;
    const at = firstInvalidUtf8(bytes);
    const where = at === undefined ? undefined : `byte ${at} (line ${lineOf(bytes, at)})`;
    const hint =
      encoding === "utf-8" ? " — if it was saved as GBK/GB18030 (Windows Notepad), re-save it as UTF-8 or pass --encoding gb18030" : "";
    throw new ImportError("import.encoding", `not valid ${encoding} text${where ? ` at ${where}` : ""}${hint}`, where);
  }
}

/**
 * The offset of the first byte that breaks UTF-8, for the error message. The second byte's range
 * depends on the first (Unicode's table of well-formed sequences): overlong forms (E0 80, F0 80),
 * encoded surrogates (ED A0) and code points past U+10FFFF (F4 90) are errors too, as TextDecoder
 * says; checking only for continuation bytes left those without a position.
 */
function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    if (n > 0 && ((bytes[i + 1] ?? 0) < lo || (bytes[i + 1] ?? 0) > hi)) return i;
    for (let k = 2; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return undefined;
}

function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}
