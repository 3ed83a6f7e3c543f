import type { ImportResult } from "./import/import-result.ts";
import type { Issue } from "./issue-schema.ts";
import type { Clock, IssueRepo, StoredIssue } from "../storage/ports.ts";

/**
 * What the issue list shows for an issue: its masthead (title and number), else its first headline.
 *
 * @example
 * issueLabel(issue); // "山西通信行业简报 2025年第9期"
 */
export function issueLabel(issue: Issue): string {
  const masthead = [issue.masthead?.title, issue.masthead?.number].filter(Boolean).join(" ");
  return masthead || issue.sections.flatMap((s) => s.articles).find((a) => a.title)?.title || "（无标题）";
}

/**
 * Stores an imported issue under a new id, labelled for the list: what POST /api/issues and the
 * dashboard's import both do.
 *
 * @example
 * const stored = await storeImportedIssue(importIssue(text), { issues, clock, newId: randomUUID });
 */
export async function storeImportedIssue(result: Pick<ImportResult, "issue" | "format">, deps: { issues: IssueRepo; clock: Clock; newId(): string }): Promise<StoredIssue> {
  const stored: StoredIssue = { id: deps.newId(), label: issueLabel(result.issue), format: result.format, createdAt: deps.clock.now().toISOString(), issue: result.issue };
  await deps.issues.create(stored);
  return stored;
}
