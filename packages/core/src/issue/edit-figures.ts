import { InvalidInputError, NotFoundError } from "../errors/errors.ts";
import type { IssueRepo, IssueSummary } from "./issue-repo.ts";
import { type Figure, FigureSchema } from "./issue-schema.ts";

/** Which figure: the article's number across the issue (1-based, as the email numbers them), and its place among the article's figures (0-based). */
export interface FigureRef {
  article: number;
  figure: number;
}

/** A figure's alt text and caption as the clerk edits them ("" removes the caption), or its removal. */
export type FigureChange = { alt?: string; caption?: string } | { remove: true };

/**
 * Edits one figure of a stored issue before it is sent (the issue page, PATCH /api/issues/:id):
 * its alt text (never empty: it is what a reader whose mail blocks pictures sees) and caption, both
 * one line, or removes it from its article. Its picture stays in the file store, but the archive
 * serves only the pictures an issue still shows.
 *
 * @example
 * await editFigure("i1", { article: 2, figure: 0 }, { caption: "会议现场" }, { issues });
 * await editFigure("i1", { article: 2, figure: 0 }, { remove: true }, { issues });
 */
export async function editFigure(
  id: string,
  ref: FigureRef,
  change: FigureChange,
  deps: { issues: IssueRepo },
): Promise<IssueSummary> {
  const stored = await deps.issues.get(id);
  if (!stored) throw new NotFoundError("issue.not-found", `no issue ${id}`);
  let n = 0;
  let found = false;
  const sections = stored.issue.sections.map((s) => ({
    ...s,
    articles: s.articles.map((a) => {
      n++;
      if (n !== ref.article || !a.figures?.[ref.figure]) return a;
      found = true;
      const figures = [...a.figures];
      if ("remove" in change) figures.splice(ref.figure, 1);
      else figures[ref.figure] = edited(figures[ref.figure]!, change);
      const { figures: _old, ...rest } = a;
      return figures.length > 0 ? { ...rest, figures } : rest;
    }),
  }));
  if (!found)
    throw new NotFoundError(
      "figure.not-found",
      `issue ${id} has no figure ${ref.figure + 1} in article ${ref.article}`,
    );
  return deps.issues.setSections(id, stored.issue, sections);
}

function edited(figure: Figure, change: { alt?: string; caption?: string }) {
  const next = { ...figure };
  if (change.alt !== undefined) next.alt = change.alt.trim();
  if (change.caption !== undefined) {
    const caption = change.caption.trim();
    if (caption === "") delete next.caption;
    else next.caption = caption;
  }
  const checked = FigureSchema.safeParse(next);
  if (next.alt === "" || !checked.success) {
    const field = next.alt === "" ? "alt" : String(checked.error?.issues[0]?.path[0] ?? "alt");
    throw new InvalidInputError(
      "figure.invalid",
      `figure.${field}: one line of at most 200 characters${field === "alt" ? ", not empty" : ""}`,
      { details: { field } },
    );
  }
  return checked.data;
}
