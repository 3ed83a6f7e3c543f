import type { ImportResult } from "@bulletin/core";

/** Every non-whitespace character of a text, counted. */
export function charCounts(texts: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) for (const ch of text.replace(/\s/gu, "")) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

/** Every string an import put into the Issue (a figure's caption; its alt text is not the PDF's), plus what it reported as dropped. */
export function accountedTexts(result: ImportResult): string[] {
  const { issue, dropped } = result;
  const m = issue.masthead ?? {};
  return [
    m.title ?? "",
    m.number ?? "",
    m.date ?? "",
    ...issue.sections.flatMap((s) => [
      s.name ?? "",
      ...s.articles.flatMap((a) => [
        a.kicker ?? "",
        a.title,
        a.subtitle ?? "",
        ...a.authors,
        ...a.paragraphs,
        ...(a.figures ?? []).map((f) => f.caption ?? ""),
      ]),
    ]),
    ...issue.distribution.report,
    ...issue.distribution.distribute,
    ...issue.distribution.copy,
    ...dropped.map((d) => d.text),
  ];
}

/**
 * The characters that the import lost or invented: input minus output, per character. Empty when
 * every non-whitespace character of the input is in exactly one place of the result.
 */
export function unaccounted(input: string, result: ImportResult): Record<string, number> {
  const inCounts = charCounts([input]);
  const outCounts = charCounts(accountedTexts(result));
  const diff: Record<string, number> = {};
  for (const ch of new Set([...inCounts.keys(), ...outCounts.keys()])) {
    const d = (inCounts.get(ch) ?? 0) - (outCounts.get(ch) ?? 0);
    if (d !== 0) diff[ch] = d;
  }
  return diff;
}
