import { ImportError, InvalidInputError } from "../../errors/errors.ts";
import { decodeText, ENCODING_LABELS } from "../../text/decode-text.ts";

/** Encodings a clerk may name with --encoding; Windows Notepad in China saves GBK (a subset of GB18030). */
export const SUPPORTED_ENCODINGS = ENCODING_LABELS;

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04]; // .docx, .xlsx, .zip

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/**
 * Turns a file's bytes into text, or explains in one line why they are not text: empty, a PDF or
 * Word file, binary, or in an encoding that is neither the one named nor UTF-8 nor GB18030/GBK
 * (decodeText's errors, text.*, with the line of the first bad byte).
 *
 * @example
 * decodeInput(new TextEncoder().encode("【协会消息】")); // "【协会消息】"
 */
export function decodeInput(bytes: Uint8Array, opts: { encoding?: string } = {}): string {
  if (bytes.length === 0) throw new ImportError("import.empty", "the file is empty");
  if (startsWith(bytes, PDF_MAGIC)) {
    throw new ImportError(
      "import.pdf",
      "this is a PDF, not text — import it as the bulletin's PDF (its name ending in .pdf, or --format pdf)",
    );
  }
  if (startsWith(bytes, ZIP_MAGIC)) {
    throw new ImportError(
      "import.binary",
      "this is a Word/zip file, not text — save it as plain text (UTF-8) or Markdown first",
    );
  }
  const bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!bom && opts.encoding === undefined) {
    const nul = bytes.indexOf(0);
    if (nul >= 0)
      throw new ImportError("import.binary", `this is a binary file, not text (a NUL byte at offset ${nul})`);
  }
  // The encoding as named (--encoding), else by its byte-order mark, else UTF-8 or GB18030 by the
  // bytes: the same rules as every text the service takes in (core's decodeText).
  const text = decodeBulletin(bytes, opts.encoding);
  if (/[\u0000-\u0008\u000E-\u001F]/u.test(text.replace(/\u001A$/u, ""))) {
    throw new ImportError("import.binary", "this is a binary file, not text (it has control characters)");
  }
  return text;
}

/** decodeText, its refusals as ImportErrors (same code and details) with the line as `where`. */
function decodeBulletin(bytes: Uint8Array, encoding: string | undefined): string {
  try {
    return decodeText(bytes, { charset: encoding }).text;
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    const line = e.details?.line;
    throw new ImportError(e.code, e.message, line === undefined ? undefined : `line ${line}`, {
      cause: e,
      ...(e.details ? { details: { ...e.details } } : {}),
    });
  }
}
