import { deflateSync } from "node:zlib";

/** An image XObject for imagePdf: its dictionary entries (besides Type, Subtype, Length) and its stream. */
export interface PdfImageSpec {
  /** e.g. "/Width 40 /Height 30 /ColorSpace /DeviceCMYK /BitsPerComponent 8 /Filter /FlateDecode" */
  dict: string;
  data: Uint8Array;
  /** Where it is painted: [x, y, width, height] in points from the bottom left, as PDF draws. */
  at: [number, number, number, number];
}

/**
 * A one-page PDF that paints the given images, written byte by byte: the pictures a word processor
 * may put in a bulletin (CMYK, 16 bits a channel, one bit a pixel, a damaged JPEG, an absurd size),
 * which Chromium never writes.
 *
 * @example
 * const pdf = imagePdf([{ dict: "/Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8", data: rgb, at: [50, 600, 200, 150] }]);
 */
export function imagePdf(images: readonly PdfImageSpec[]): Uint8Array {
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === "string" ? Buffer.from(b, "latin1") : b;
    parts.push(buf);
    length += buf.length;
  };
  const object = (n: number, body: (Buffer | string)[]) => {
    offsets[n] = length;
    push(`${n} 0 obj\n`);
    body.forEach(push);
    push("\nendobj\n");
  };
  const content = images
    .map((im, i) => `q ${im.at[2]} 0 0 ${im.at[3]} ${im.at[0]} ${im.at[1]} cm /Im${i + 1} Do Q`)
    .join("\n");
  const xobjects = images.map((_, i) => `/Im${i + 1} ${5 + i} 0 R`).join(" ");
  push("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  object(1, ["<< /Type /Catalog /Pages 2 0 R >>"]);
  object(2, ["<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]);
  object(3, [
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << ${xobjects} >> >> /Contents 4 0 R >>`,
  ]);
  object(4, [`<< /Length ${content.length} >>\nstream\n${content}\nendstream`]);
  for (const [i, im] of images.entries())
    object(5 + i, [
      `<< /Type /XObject /Subtype /Image ${im.dict} /Length ${im.data.length} >>\nstream\n`,
      Buffer.from(im.data),
      "\nendstream",
    ]);
  const xref = length;
  const count = 5 + images.length;
  push(`xref\n0 ${count}\n0000000000 65535 f \n`);
  for (let n = 1; n < count; n++) push(`${String(offsets[n]).padStart(10, "0")} 00000 n \n`);
  push(`trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(parts));
}

/** Pixels made by `pixel(x, y)` (one number a channel), deflated. */
export function deflatedPixels(
  width: number,
  height: number,
  channels: number,
  bytesPerChannel: 1 | 2,
  pixel: (x: number, y: number) => number[],
): Uint8Array {
  const out = Buffer.alloc(width * height * channels * bytesPerChannel);
  let at = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const v of pixel(x, y)) {
        if (bytesPerChannel === 2) out.writeUInt16BE(v, at);
        else out[at] = v;
        at += bytesPerChannel;
      }
    }
  }
  return new Uint8Array(deflateSync(out));
}
