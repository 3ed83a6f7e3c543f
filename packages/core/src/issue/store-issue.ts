import { BulletinError, InvalidInputError } from "../errors/errors.ts";
import type { ImportResult } from "./import/import-result.ts";
import { type FileStore, issueImageKey, originalPdfKey } from "./issue-files.ts";
import { type Issue, OWN_IMAGE_SRC } from "./issue-schema.ts";
import type { Clock } from "../clock.ts";
import type { IssueRepo, StoredIssue } from "./issue-repo.ts";

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
 * dashboard's import both do. The original PDF and the pictures of its figures, when there are
 * some, are kept first, so an issue never points at a file that is not there; if the issue then
 * cannot be stored, the files go too. A figure naming an own image (images/<n>.jpg) the import did
 * not bring is refused: a new issue has no other images (give another picture by its https URL).
 *
 * @example
 * const stored = await storeImportedIssue(await importIssueFile(bytes, {}, { pdf }), { issues, files, clock, newId: randomUUID }, bytes);
 */
export async function storeImportedIssue(
  result: Pick<ImportResult, "issue" | "format" | "images">,
  deps: { issues: IssueRepo; files?: FileStore; clock: Clock; newId(): string },
  original?: Uint8Array,
): Promise<StoredIssue> {
  const images = result.images ?? [];
  const brought = new Set(images.map((i) => i.src));
  for (const [where, f] of figuresOf(result.issue)) {
    if (OWN_IMAGE_SRC.test(f.src) && !brought.has(f.src)) {
      throw new InvalidInputError(
        "issue.figure-src",
        `${where}: ${f.src} is not one of this issue's stored images; give the picture by its https URL`,
        { details: { src: f.src } },
      );
    }
  }
  const stored: StoredIssue = {
    id: deps.newId(),
    label: issueLabel(result.issue),
    format: result.format,
    createdAt: deps.clock.now().toISOString(),
    issue: result.issue,
  };
  const written: string[] = [];
  const keep = async (key: string, bytes: Uint8Array, type: string) => {
    if (!deps.files)
      throw new BulletinError("files.missing", "no file store to keep the original PDF and its photos in");
    await deps.files.put(key, bytes, type);
    written.push(key);
  };
  try {
    if (original && result.format === "pdf") {
      await keep(originalPdfKey(stored.id), original, "application/pdf");
      stored.original = { size: original.length };
    }
    for (const image of images) await keep(issueImageKey(stored.id, image.src)!, image.jpeg, "image/jpeg");
    await deps.issues.create(stored);
  } catch (e) {
    await Promise.all(written.map((key) => deps.files?.delete(key).catch(() => {})));
    throw e;
  }
  return stored;
}

/** Every figure of an issue, with where it is ("sections[0].articles[1].figures[0]"). */
export function figuresOf(
  issue: Issue,
): [string, NonNullable<Issue["sections"][number]["articles"][number]["figures"]>[number]][] {
  return issue.sections.flatMap((s, i) =>
    s.articles.flatMap((a, j) =>
      (a.figures ?? []).map((f, k) => [`sections[${i}].articles[${j}].figures[${k}]`, f] as [string, typeof f]),
    ),
  );
}
