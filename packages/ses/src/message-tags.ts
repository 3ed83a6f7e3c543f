import { InvalidInputError } from "@bulletin/core";
import type { MessageTag } from "@aws-sdk/client-sesv2";

/** SES message tag names and values: ASCII letters, digits, `_` and `-`, 1 to 256 characters. */
const TAG_CHARS = /^[A-Za-z0-9_-]{1,256}$/;
const PLAIN_CHAR = /[A-Za-z0-9-]/;
const MAX_TAG_LENGTH = 256;

/**
 * Encodes a tag value into SES's alphabet, losslessly: letters, digits and `-` stay, every other
 * UTF-8 byte (`_` included, since it is the escape character) becomes `_XX` (upper-case hex).
 * Values like "2025-05" or "members" are unchanged; "ann@example.org" becomes "ann_40example_2Eorg".
 *
 * @example
 * encodeTagValue("ann@example.org"); // "ann_40example_2Eorg"
 */
export function encodeTagValue(value: string): string {
  let out = "";
  for (const char of value) {
    if (PLAIN_CHAR.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, "utf8")) out += `_${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The inverse of encodeTagValue, for mapping SES events (which carry the tags) back to a recipient.
 *
 * @example
 * decodeTagValue("ann_40example_2Eorg"); // "ann@example.org"
 */
export function decodeTagValue(encoded: string): string {
  if (!/^(?:[A-Za-z0-9-]|_[0-9A-F]{2})*$/.test(encoded)) {
    throw new InvalidInputError("ses.tag-invalid", `not an encoded SES tag value: ${encoded}`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i += 1) {
    if (encoded[i] === "_") {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * Turns `OutgoingEmail.tags` into SES EmailTags. Names are chosen by our code, so a name SES would
 * refuse is a bug and throws InvalidInputError (renaming it silently would break the event mapping).
 * Values carry data (a recipient address, a tier) and are encoded with encodeTagValue; an empty value
 * or one longer than 256 characters once encoded throws InvalidInputError.
 *
 * @example
 * toEmailTags({ send: "s-1", recipient: "ann@example.org" });
 * // [{ Name: "send", Value: "s-1" }, { Name: "recipient", Value: "ann_40example_2Eorg" }]
 */
export function toEmailTags(tags: Record<string, string>): MessageTag[] {
  return Object.entries(tags).map(([name, value]) => {
    if (!TAG_CHARS.test(name)) {
      throw new InvalidInputError(
        "ses.tag-invalid",
        `tag name ${JSON.stringify(name)} must be 1-256 of A-Z a-z 0-9 _ -`,
      );
    }
    const encoded = encodeTagValue(value);
    if (encoded.length === 0 || encoded.length > MAX_TAG_LENGTH) {
      throw new InvalidInputError(
        "ses.tag-invalid",
        `tag ${name}: the value must be 1-${MAX_TAG_LENGTH} characters once encoded, got ${encoded.length}`,
      );
    }
    return { Name: name, Value: encoded };
  });
}
