import { ImportError } from "../../errors/errors.ts";
import type { ImportResult } from "./import-result.ts";

/**
 * Input that parsed but is not a bulletin — an English README, a stray paragraph, a PDF of something
 * else — is refused rather than imported as an issue with no headlines.
 *
 * @example
 * assertLooksLikeBulletin(parsePdfText("Hello world.")); // throws import.not-a-bulletin
 */
export function assertLooksLikeBulletin({ issue }: Pick<ImportResult, "issue">): void {
  const articles = issue.sections.flatMap((s) => s.articles);
  const text = JSON.stringify(issue);
  const why = !/\p{Script=Han}/u.test(text)
    ? "it has no Chinese text"
    : articles.length === 0
      ? "no articles found"
      : articles.every((a) => a.title === "") && issue.sections.every((s) => s.name === null)
        ? "no headlines and no 【section】 headers found"
        : undefined;
  if (why) {
    throw new ImportError(
      "import.not-a-bulletin",
      `not a bulletin: ${why} — expected headlines over paragraphs of Chinese text, 【section】 headers and a 报/发/送 footer`,
    );
  }
}
