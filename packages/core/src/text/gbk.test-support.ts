/**
 * Text as Excel or Notepad on a Chinese Windows saves it (GBK, code page 936), for tests. Built from
 * the platform's decoder: every two-byte GBK code is decoded once and the table inverted (Node has
 * a GB18030 decoder but no encoder, and a package for one would be there only for tests).
 *
 * @example
 * encodeGbk("中文"); // Uint8Array [0xd6, 0xd0, 0xce, 0xc4]
 */
let table: Map<string, number[]> | undefined;
export function encodeGbk(s: string): Uint8Array {
  if (!table) {
    table = new Map();
    const dec = new TextDecoder("gb18030");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== "\uFFFD" && !table.has(ch)) table.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`not in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
