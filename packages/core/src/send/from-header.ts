import { InvalidInputError } from "../errors/errors.ts";

/** An encoded-word may be 75 characters long (RFC 2047 §2): "=?UTF-8?B?" + base64 + "?=" leaves 60 for 45 bytes. */
const WORD_BYTES = 45;
const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;

/**
 * The From header's value: `display name <address>`, the name encoded for a header. A name in
 * ASCII letters is written as a phrase (quoted when it holds specials); any other name (Chinese)
 * as RFC 2047 encoded-words in UTF-8 and base64, split between whole characters, as SES requires
 * for a non-ASCII sender name. A name or address with a line break or another control character is
 * refused: it could start a header of its own. Without a name, the bare address.
 *
 * @example
 * fromHeader("山西省通信行业协会秘书处", "bulletin@example.org");
 * // "=?UTF-8?B?5bGx6KW/55yB6YCa5L+h6KGM5Lia5Y2P5Lya56eY5Lmm5aSE?= <bulletin@example.org>"
 * fromHeader("", "bulletin@example.org"); // "bulletin@example.org"
 * fromHeader("Bulletin", "简报 <bulletin@example.org>"); // "Bulletin <bulletin@example.org>"
 */
export function fromHeader(name: string | undefined, from: string): string {
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(from))
    throw new InvalidInputError("send.header", "the From address must not contain line breaks or control characters");
  // A configured From may carry a name of its own ("简报 <bulletin@x.org>"): the settings' name replaces it.
  const named = /^(.*)<([^<>]+)>\s*$/.exec(from);
  const address = (named ? named[2]! : from).trim();
  if (/[<>\s]/.test(address) || !address.includes("@")) {
    throw new InvalidInputError("send.header", `the From address cannot go into a header: ${JSON.stringify(from)}`);
  }
  const display = (name ?? "").trim();
  if (display === "") return from.trim();
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(display)) {
    throw new InvalidInputError("send.header", "the sender's name must not contain line breaks or control characters");
  }
  if (/^[\x20-\x7e]*$/.test(display)) {
    const phrase = ATEXT_PHRASE.test(display) ? display : `"${display.replace(/(["\\])/g, "\\$1")}"`;
    return `${phrase} <${address}>`;
  }
  return `${encodedWords(display).join(" ")} <${address}>`;
}

/** The name as encoded-words of at most WORD_BYTES bytes each, never splitting a character. */
function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = "";
  for (const ch of text) {
    if (utf8.encode(chunk + ch).length > WORD_BYTES) {
      words.push(chunk);
      chunk = "";
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${utf8Base64(w)}?=`);
}

const utf8 = new TextEncoder();

function utf8Base64(s: string): string {
  return btoa(String.fromCharCode(...utf8.encode(s)));
}
