/**
 * The pictures of a PDF with more pixels than `maxPixels`, read from the file's bytes: PDF.js skips
 * them without a word (its maxImageSize), and the clerk should hear that a photo was left out. An
 * image is a stream object, and a stream is never inside a compressed object stream, so its
 * dictionary (/Subtype /Image, /Width, /Height) is always there to read as it is written.
 *
 * @example
 * oversizedImages(pdfBytes, 64_000_000); // [{ width: 30000, height: 20000 }]
 */
export function oversizedImages(bytes: Uint8Array, maxPixels: number): { width: number; height: number }[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const out: { width: number; height: number }[] = [];
  const seen = new Set<number>();
  for (const m of text.matchAll(/\/Subtype\s*\/Image\b/g)) {
    // The dictionary around the match: from its object's start to its stream.
    const start = text.lastIndexOf(" obj", m.index);
    const end = text.indexOf("stream", m.index);
    if (start < 0 || end < 0 || end - start > 4096 || seen.has(start)) continue;
    seen.add(start);
    const dict = text.slice(start, end);
    const width = Number(/\/Width\s+(\d+)(?!\s+\d+\s+R)/.exec(dict)?.[1]);
    const height = Number(/\/Height\s+(\d+)(?!\s+\d+\s+R)/.exec(dict)?.[1]);
    if (width > 0 && height > 0 && width * height > maxPixels) out.push({ width, height });
  }
  return out;
}
