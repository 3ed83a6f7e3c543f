import { randomBytes } from "node:crypto";
import { bulletinHtmlPdf } from "./pdf-fixtures.ts";

/**
 * A small PDF written object by object, with a correct cross-reference table: the base for the
 * encrypted one, which Chromium cannot make.
 */
function writePdf(objects: string[], trailerExtra = ""): Uint8Array<ArrayBuffer> {
  let body = "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(Buffer.byteLength(body, "latin1"));
    body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, "latin1");
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, "latin1"));
}

const PAGE_OBJECTS = [
  "<< /Type /Catalog /Pages 2 0 R >>",
  "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
  "<< /Length 0 >>\nstream\n\nendstream",
];

/**
 * A PDF protected by a password (the standard security handler, RC4 128-bit): its user-password
 * check fails for the empty password, so a reader must ask for one.
 */
export function encryptedPdf(): Uint8Array<ArrayBuffer> {
  const hex = (n: number) => randomBytes(n).toString("hex");
  const encrypt = `<< /Filter /Standard /V 2 /R 3 /Length 128 /O <${hex(32)}> /U <${hex(32)}> /P -3904 >>`;
  return writePdf([...PAGE_OBJECTS, encrypt], `/Encrypt 5 0 R /ID [<${hex(16)}> <${hex(16)}>]`);
}

/** Bytes with a PDF's header and nothing a reader can use after it. */
export function damagedPdf(): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(4096)]));
}

/** A "PDF" over the 30 MB limit: refused for its size before it is read. */
export function oversizePdf(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(30 * 1024 * 1024 + 1024);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
}

/** A scanned bulletin: the page is a picture, with no text layer. */
export function scanPdf(): Promise<Uint8Array<ArrayBuffer>> {
  return bulletinHtmlPdf(
    `<!doctype html><html><body style="margin:0"><img src="data:image/png;base64,${PNG_PAGE}" style="width:100%"></body></html>`,
  );
}

/** A PDF of something else: an English document. */
export function englishPdf(): Promise<Uint8Array<ArrayBuffer>> {
  return bulletinHtmlPdf(
    `<!doctype html><html lang="en"><body><h1>Quarterly report</h1>${"<p>Revenue grew in every region this quarter, and the board approved the new budget for the coming year.</p>".repeat(12)}</body></html>`,
  );
}

/** A 1×1 grey PNG, stretched over the page: a scanned page, as far as the importer is concerned. */
const PNG_PAGE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCB3u4lAAAAAElFTkSuQmCC";
