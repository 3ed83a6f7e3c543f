import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
} from "docx";
import type { Issue } from "@bulletin/core";

/**
 * How a secretariat sets its bulletin in a word processor, as Word styles: paragraph fonts for the
 * body, headings and titles (East Asian and Western alike), exact line spacing, a two-character
 * first-line indent, justified text, page numbers at the outside of odd and even pages, the masthead
 * with a tab to the date and a red rule, and the 报/发/送 lists between rules. Sizes in points,
 * margins in mm.
 */
export interface WordStyle {
  body: string;
  size: number;
  /** Exact line spacing, points. */
  line: number;
  /** Section lines and 一、 headings. */
  head: string;
  title: string;
  titleSize: number;
  titleBold: boolean;
  /** Subtitles and author lines. */
  kai: string;
  margins: [number, number, number, number];
  masthead?: { title: string; number: string; editor: string; date: string };
  /** Titles printed letter-spaced, with the author alone under them. */
  authorUnderTitle: readonly string[];
  /** A photo after a paragraph of an article (by title), in line and centred, its caption under it two points smaller. */
  photo?: {
    article: string;
    afterParagraph: number;
    caption: string;
    jpeg: Uint8Array /** Shown size in points. */;
    width: number;
    height: number;
  };
}

const mm = (v: number) => Math.round((v / 25.4) * 1440);
const INNER_HEADING = /^[一二三四五六七八九十]+、[^。]*$/u;

/**
 * The bulletin as a .docx, for a word processor (LibreOffice in the tests) to save as PDF, as a
 * secretariat's Word or WPS does.
 *
 * @example
 * writeFileSync("2026-01.docx", await bulletinDocx(issue, style));
 */
export async function bulletinDocx(issue: Issue, o: WordStyle): Promise<Buffer> {
  const run = (text: string, x: { font?: string; size?: number; bold?: boolean; color?: string } = {}) =>
    new TextRun({
      text,
      font: { eastAsia: x.font ?? o.body, ascii: x.font ?? o.body, hAnsi: x.font ?? o.body },
      size: (x.size ?? o.size) * 2,
      ...(x.bold ? { bold: true } : {}),
      ...(x.color ? { color: x.color } : {}),
    });
  const para = (children: TextRun[], p: Record<string, unknown> = {}, before = 0, after = 0) =>
    new Paragraph({
      children,
      spacing: { line: o.line * 20, lineRule: LineRuleType.EXACT, before: before * 20, after: after * 20 },
      ...p,
    });
  const out: Paragraph[] = [];
  if (o.masthead) {
    const m = o.masthead;
    out.push(
      para(
        [run(m.title, { font: o.title, size: 42, bold: true, color: "C00000" })],
        { alignment: AlignmentType.CENTER },
        0,
        6,
      ),
    );
    out.push(para([run(m.number)], { alignment: AlignmentType.CENTER }));
    out.push(
      para(
        [run(m.editor), run(`\t${m.date}`)],
        {
          tabStops: [{ type: TabStopType.RIGHT, position: 9000 }],
          border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: "C00000", space: 4 } },
        },
        0,
        12,
      ),
    );
  }
  for (const section of issue.sections) {
    if (section.name)
      out.push(para([run(`【${section.name}】`, { font: o.head, bold: true })], { keepNext: true }, 12));
    for (const a of section.articles) {
      const under = o.authorUnderTitle.includes(a.title);
      if (a.kicker)
        out.push(
          para(
            [run(a.kicker, { font: o.head, size: o.size - 2 })],
            { alignment: AlignmentType.CENTER, keepNext: true },
            12,
          ),
        );
      out.push(
        para(
          [run(under ? [...a.title].join("  ") : a.title, { font: o.title, size: o.titleSize, bold: o.titleBold })],
          { alignment: AlignmentType.CENTER, keepNext: true },
          a.kicker ? 0 : 12,
        ),
      );
      if (a.subtitle)
        out.push(para([run(`——${a.subtitle}`, { font: o.kai })], { alignment: AlignmentType.CENTER, keepNext: true }));
      if (under)
        out.push(
          para([run(a.authors.join(" "), { font: o.kai })], { alignment: AlignmentType.CENTER, keepNext: true }),
        );
      a.paragraphs.forEach((text, i) => {
        const byline =
          i === a.paragraphs.length - 1 && a.authors.length > 0 && !under ? [run(` （${a.authors.join(" ")}）`)] : [];
        out.push(
          para([run(text, INNER_HEADING.test(text) ? { font: o.head } : {}), ...byline], {
            alignment: AlignmentType.JUSTIFIED,
            indent: { firstLine: o.size * 2 * 20 },
          }),
        );
        const photo = o.photo?.article === a.title && o.photo.afterParagraph === i ? o.photo : undefined;
        if (photo) {
          // A picture in line, in a paragraph of its own (Word's default), sized in pixels at 96 dpi.
          out.push(
            new Paragraph({
              alignment: AlignmentType.CENTER,
              spacing: { before: 120, after: 60 },
              keepNext: true,
              children: [
                new ImageRun({
                  type: "jpg",
                  data: photo.jpeg,
                  transformation: { width: (photo.width * 96) / 72, height: (photo.height * 96) / 72 },
                }),
              ],
            }),
          );
          out.push(para([run(photo.caption, { size: o.size - 2 })], { alignment: AlignmentType.CENTER }, 0, 6));
        }
      });
    }
  }
  const d = issue.distribution;
  const lists = (
    [
      ["报：", d.report],
      ["送：", d.copy],
      ["发：", d.distribute],
    ] as const
  ).filter(([, orgs]) => orgs.length > 0);
  lists.forEach(([label, orgs], i) => {
    const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: "000000", space: 2 });
    out.push(
      para(
        [run(label + orgs.join("、"), { size: o.size - 2 })],
        {
          indent: { left: 280 },
          border: { top: rule(i === 0 ? 12 : 4), ...(i === lists.length - 1 ? { bottom: rule(12) } : {}) },
        },
        i === 0 ? 24 : 0,
      ),
    );
  });
  const pageNumber = (alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
    new Footer({
      children: [
        new Paragraph({
          alignment,
          children: [
            new TextRun({
              children: ["— ", PageNumber.CURRENT, " —"],
              size: 28,
              font: { eastAsia: o.body, ascii: o.body },
            }),
          ],
        }),
      ],
    });
  const [top, right, bottom, left] = o.margins;
  const doc = new Document({
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: {
          page: {
            size: { width: mm(210), height: mm(297) },
            margin: { top: mm(top), right: mm(right), bottom: mm(bottom), left: mm(left), footer: mm(20) },
          },
        },
        // GB/T 9704: odd pages' numbers at the right, even pages' at the left.
        footers: { default: pageNumber(AlignmentType.RIGHT), even: pageNumber(AlignmentType.LEFT) },
        children: out,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
