import type { Article } from "../../issue-schema.ts";
import { AUTHOR_PREFIX, interpretHeading, LETTER_SPACED, NAME_LINE, SUBTITLE_DASHES } from "../pdf-text/headings.ts";
import { joinWrapped } from "../text-utils.ts";
import { type BodyStyle, isBodyStyle } from "./body-style.ts";
import type { PdfLine } from "./text-lines.ts";

type Heading = Pick<Article, "kicker" | "title" | "subtitle" | "authors">;

const sameStyle = (a: PdfLine, b: PdfLine) =>
  a.family === b.family && a.bold === b.bold && Math.abs(a.size - b.size) < 0.5;
const plain = (l: PdfLine) => (LETTER_SPACED.test(l.text) ? l.text.replace(/[\s\u3000]+/gu, "") : l.text);

/**
 * Reads a heading from its typography: the title is the run of lines in the largest heading type; a
 * smaller line above it is its kicker; below it, a line starting with —— is its subtitle (without the dashes),
 * a line holding only a name (文/张三, 张三) is its author, and any other line is its subtitle. When
 * every line is set alike, type says nothing, and the words decide, as for text.
 *
 * @example
 * interpretPdfHeading([kicker14pt, title22pt, subtitle16pt]).heading; // { kicker, title, subtitle, authors: [] }
 */
export function interpretPdfHeading(
  lines: readonly PdfLine[],
  body: BodyStyle,
): { heading: Heading; markup: string[] } {
  if (lines.every((l) => sameStyle(l, lines[0]!))) return interpretHeading(lines.map((l) => l.text));
  // The title is in heading type: a kicker or author line in body type beside it is not, however large.
  const headingType = lines.filter((l) => !isBodyStyle(l, body));
  const largest = Math.max(...(headingType.length ? headingType : lines).map((l) => l.size));
  const start = lines.findIndex((l) => l.size >= largest - 0.5 && (headingType.length === 0 || !isBodyStyle(l, body)));
  let end = start + 1;
  // The title runs on in its type, up to a subtitle's dashes or the author under a letter-spaced title.
  const endsTitle = (l: PdfLine) =>
    SUBTITLE_DASHES.test(l.text) || (LETTER_SPACED.test(lines[start]!.text) && NAME_LINE.test(l.text));
  while (end < lines.length && sameStyle(lines[end]!, lines[start]!) && !endsTitle(lines[end]!)) end++;

  const markup: string[] = [];
  const heading: Heading = { title: lines.slice(start, end).map(plain).reduce(joinWrapped), authors: [] };
  const kicker = lines.slice(0, start).map(plain);
  if (kicker.length) heading.kicker = kicker.reduce(joinWrapped);
  const subtitle: string[] = [];
  for (const line of lines.slice(end)) {
    const dashes = SUBTITLE_DASHES.exec(line.text)?.[0];
    const name = NAME_LINE.exec(line.text);
    if (dashes) {
      markup.push(dashes);
      subtitle.push(line.text.slice(dashes.length));
    } else if (name) {
      const prefix = AUTHOR_PREFIX.exec(line.text)?.[0];
      if (prefix) markup.push(prefix);
      heading.authors.push(...name[1]!.split(/[\s\u3000]+/u));
    } else subtitle.push(plain(line));
  }
  if (subtitle.length) heading.subtitle = subtitle.reduce(joinWrapped);
  return { heading, markup };
}
