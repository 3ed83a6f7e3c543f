import { InvalidInputError, NotFoundError } from "../errors/errors.ts";
import type { IssueRepo, IssueSummary } from "./issue-repo.ts";
import type { Masthead } from "./issue-schema.ts";
import { issueLabel } from "./store-issue.ts";

/** The longest masthead fields: a name, "2026年第12期（总第213期）", "二〇二六年十二月三十一日". */
export const MASTHEAD_LIMITS = { title: 60, number: 40, date: 40 } as const;

/**
 * Changes an issue's masthead (PATCH /api/issues/:id, the issue page): each field given is set
 * (trimmed), "" removes it, a field not given stays. No field may hold a line break or another
 * control character (they go into the subject line). The label of the list follows the masthead.
 *
 * @example
 * await editMasthead("i1", { number: "2026年第1期" }, { issues }); // label "山西通信 2026年第1期"
 */
export async function editMasthead(
  id: string,
  patch: Partial<Record<keyof Masthead, string>>,
  deps: { issues: IssueRepo },
): Promise<IssueSummary> {
  const stored = await deps.issues.get(id);
  if (!stored) throw new NotFoundError("issue.not-found", `no issue ${id}`);
  const next: Masthead = { ...stored.issue.masthead };
  for (const field of ["title", "number", "date"] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    const text = value.trim();
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]/u.test(text) || text.length > MASTHEAD_LIMITS[field]) {
      throw new InvalidInputError(
        "masthead.invalid",
        `masthead.${field}: no line breaks or control characters, at most ${MASTHEAD_LIMITS[field]} characters`,
        { details: { field } },
      );
    }
    if (text === "") delete next[field];
    else next[field] = text;
  }
  const masthead = Object.keys(next).length > 0 ? next : undefined;
  const issue = {
    ...(masthead ? { masthead } : {}),
    sections: stored.issue.sections,
    distribution: stored.issue.distribution,
  };
  return deps.issues.setMasthead(id, stored.issue, masthead, issueLabel(issue));
}

/**
 * True when the issue has an issue number (期号): a real send without one needs the secretariat's confirmation.
 *
 * @example
 * hasIssueNumber({ masthead: { number: "第5期" }, sections: [], distribution }); // true
 */
export function hasIssueNumber(issue: { masthead?: Masthead | undefined }): boolean {
  return (issue.masthead?.number ?? "").trim() !== "";
}
