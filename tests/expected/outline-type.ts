/**
 * Shape of a hand-written expected outline for a bulletin PDF text sample.
 * See ./README.md for the conventions these outlines follow.
 */
export interface ExpectedArticle {
  /** Line printed above the headline (organisation line, or a theme line "以…为主题"). */
  kicker?: string;
  title: string;
  /** A second, complete headline under the first. */
  subtitle?: string;
  /** From the byline at the end of the article's last paragraph, e.g. （张俊清 王丽） → ["张俊清", "王丽"]; none → []. */
  authors: string[];
  /** The first 8 characters of each body paragraph, in order (fewer if the paragraph is shorter); one entry per paragraph. */
  paragraphStarts: string[];
  /** The last 8 characters of the last paragraph, without the byline and without trailing spaces. */
  lastParagraphEnd: string;
}

export interface ExpectedOutline {
  /** Section name without 【】; text before the first 【…】 header is a section with name null. */
  sections: { name: string | null; articles: ExpectedArticle[] }[];
  /** 报 / 发 / 送 footer, each split on 、 and continued across lines. */
  distribution: { report: string[]; distribute: string[]; copy: string[] };
}
