import type { Article, Figure, Section } from "../issue-schema.ts";
import type { DroppedText } from "./import-result.ts";
import { splitByline } from "./text-utils.ts";

type Heading = Pick<Article, "kicker" | "title" | "subtitle" | "authors">;

/** Where a piece came from, for messages and the dropped list. */
export interface Origin {
  line: number;
  page?: number;
}

/** The body of a bulletin as a reader sees it, in order; both the text and the PDF importer produce it. */
export type Piece =
  | { kind: "section"; name: string; at: Origin }
  | { kind: "heading"; heading: Heading; markup: string[]; at: Origin }
  | { kind: "paragraph"; text: string; at: Origin; end?: Origin }
  | { kind: "byline"; authors: string[]; markup: string; at: Origin }
  /** A photo where it stands in the text: after the paragraph before it (afterParagraph is set here). */
  | { kind: "figure"; figure: Omit<Figure, "afterParagraph">; at: Origin };

const where = (at: Origin) => (at.page !== undefined ? `page ${at.page}` : `line ${at.line}`);

/**
 * Turns pieces into sections and articles. A heading starts an article; a byline (at the end of a
 * paragraph, or on a line of its own) gives the article its authors and closes it, so a paragraph
 * after it with no heading above starts an untitled article, with a warning to check it. A figure
 * goes after the paragraph before it, in the article above it (even one a byline closed); one
 * before the first article waits for it, and goes before its first paragraph.
 *
 * @example
 * assembleArticles([{ kind: "heading", heading: { title: "标题", authors: [] }, markup: [], at: { line: 1 } }, { kind: "paragraph", text: "正文。", at: { line: 2 } }], []);
 */
export function assembleArticles(
  pieces: readonly Piece[],
  dropped: DroppedText[],
): { sections: Section[]; warnings: string[] } {
  const sections: Section[] = [];
  const warnings: string[] = [];
  let section: Section | null = null;
  let article: Article | null = null;
  let closed = false;
  let waiting: Omit<Figure, "afterParagraph">[] = [];
  const place = (a: Article, f: Omit<Figure, "afterParagraph">) =>
    (a.figures ??= []).push({ ...f, afterParagraph: a.paragraphs.length - 1 });
  const drop = (at: Origin, text: string) => dropped.push({ ...at, text, reason: "markup" });

  const currentSection = (): Section => {
    if (!section) sections.push((section = { name: null, articles: [] }));
    return section;
  };
  const startArticle = (a: Article): Article => {
    currentSection().articles.push(a);
    closed = false;
    for (const f of waiting) place(a, f);
    waiting = [];
    return (article = a);
  };
  const openArticle = (at: Origin): Article => {
    if (!article || closed) {
      warnings.push(`${where(at)}: paragraph with no headline above it — check the article boundaries`);
      startArticle({ title: "", authors: [], paragraphs: [] });
    }
    return article!;
  };

  for (const piece of pieces) {
    if (piece.kind === "section") {
      sections.push((section = { name: piece.name, articles: [] }));
      article = null;
      drop(piece.at, "【】");
    } else if (piece.kind === "heading") {
      startArticle({ ...piece.heading, authors: [...piece.heading.authors], paragraphs: [] });
      for (const text of piece.markup) drop(piece.at, text);
    } else if (piece.kind === "figure") {
      if (article) place(article, piece.figure);
      else waiting.push(piece.figure);
    } else if (piece.kind === "byline") {
      // A byline on a line of its own signs the article above it, even one it already closed.
      (article ?? openArticle(piece.at)).authors.push(...piece.authors);
      if (piece.markup) drop(piece.at, piece.markup);
      closed = true;
    } else {
      const target = openArticle(piece.at);
      const byline = splitByline(piece.text);
      const text = byline ? byline.text : piece.text;
      if (text !== "") target.paragraphs.push(text);
      if (byline) {
        target.authors.push(...byline.authors);
        drop(piece.end ?? piece.at, byline.byline.replace(/[^（）()]/gu, ""));
        closed = true;
      }
    }
  }
  if (waiting.length > 0) {
    warnings.push(`${waiting.length} photo(s) stand where no article is: they were left out`);
  }
  return { sections, warnings };
}
