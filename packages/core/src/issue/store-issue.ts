import { BulletinError } from "../errors/errors.ts";
import type { ImportResult } from "./import/import-result.ts";
import { type FileStore, originalPdfKey } from "./issue-files.ts";
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
 * dashboard's import both do. The original PDF, when there is one, is kept first, so an issue never
 * points at a file that is not there; if the issue then cannot be stored, the file goes too.
 *
 * @example
 * const stored = await storeImportedIssue(await importIssueFile(bytes, {}, { pdf }), { issues, files, clock, newId: randomUUID }, bytes);
 */
export async function storeImportedIssue(
  result: Pick<ImportResult, "issue" | "format">,
  deps: { issues: IssueRepo; files?: FileStore; clock: Clock; newId(): string },
  original?: Uint8Array,
): Promise<StoredIssue> {
  const stored: StoredIssue = { id: deps.newId(), label: issueLabel(result.issue), format: result.format, createdAt: deps.clock.now().toISOString(), issue: result.issue };
  if (original && result.format === "pdf") {
    if (!deps.files) throw new BulletinError("files.missing", "no file store to keep the original PDF in");
    await deps.files.put(originalPdfKey(stored.id), original, "application/pdf");
    stored.original = { size: original.length };
  }
  try {
    await deps.issues.create(stored);
  } catch (e) {
    if (stored.original) await deps.files?.delete(originalPdfKey(stored.id)).catch(() => {});
    throw e;
  }
  return stored;
}
