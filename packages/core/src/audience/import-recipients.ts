import { mapLimit } from "../util/map-limit.ts";
import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { RecipientRepo } from "./recipient-repo.ts";
import type { Recipient, RecipientStatus } from "./recipient.ts";
import { parseRecipientCsv, type RejectedRow, type ValidRow } from "./recipient-csv.ts";

/** What an import did, row by row; created + updated + unchanged + skipped.length = valid rows. */
export interface ImportReport {
  created: number;
  updated: number;
  unchanged: number;
  /** Valid rows for addresses that left the list (unsubscribed, bounced, complained): never touched. */
  skipped: { line: number; email: string; reason: string }[];
  /** Rows that failed a check, in file order. */
  rejected: RejectedRow[];
}

export interface ImportRecipientsDeps {
  recipients: RecipientRepo;
  clock: Clock;
}

type Outcome = "created" | "updated" | "unchanged" | { skipped: Exclude<RecipientStatus, "active"> };

/**
 * Writes at most this many rows at a time: a real store answers in milliseconds per write, and
 * 10,000 rows one after the other would outlast an HTTP request; more would only meet throttling.
 */
const CONCURRENCY = 8;
/** Rows read and written per step of a long file. */
const SLICE = 1_000;
/** How often one row may lose a race (created or deleted under us) before the import gives up. */
const ATTEMPTS = 3;

/**
 * Imports a recipient CSV: new addresses are created (active), changed details of active ones are
 * updated, and addresses that unsubscribed, bounced or complained are skipped untouched — an import
 * never brings them back. Importing the same file again changes nothing. A repository failure stops
 * the import with rows already written; since the import is idempotent, running it again is safe.
 *
 * @example
 * const report = await importRecipients(csvText, { recipients, clock: { now: () => new Date() } });
 * // { created: 27, updated: 0, unchanged: 0, skipped: [], rejected: [] }
 */
export async function importRecipients(csv: string, deps: ImportRecipientsDeps): Promise<ImportReport> {
  const { rows, rejected } = parseRecipientCsv(csv);
  const now = deps.clock.now().toISOString();
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, skipped: [], rejected };
  // A slice at a time, so a 100,000-row file never holds every stored recipient and every outcome
  // at once; one getMany per slice (the adapter batches it) rather than a read per row.
  for (let start = 0; start < rows.length; start += SLICE) {
    const slice = rows.slice(start, start + SLICE);
    const known = await deps.recipients.getMany(slice.map((r) => r.email));
    const outcomes = await mapLimit(slice, CONCURRENCY, (row) =>
      applyRow(row, known.get(row.email), deps.recipients, now),
    );
    outcomes.forEach((outcome, i) => {
      const row = slice[i] as ValidRow;
      if (typeof outcome === "string") report[outcome]++;
      else report.skipped.push({ line: row.line, email: row.email, reason: outcome.skipped });
    });
  }
  return report;
}

async function applyRow(
  row: ValidRow,
  known: Recipient | undefined,
  repo: RecipientRepo,
  now: string,
): Promise<Outcome> {
  const details = { name: row.name, organization: row.organization, tier: row.tier, role: row.role };
  let current = known;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (current === undefined) {
      try {
        await repo.create({ email: row.email, ...details, status: "active", createdAt: now, updatedAt: now });
        return "created";
      } catch (e) {
        // Someone created it since getMany: read it back and judge it like any present address.
        if (!(e instanceof ConflictError)) throw e;
        current = (await repo.get(row.email)) ?? undefined;
        continue;
      }
    }
    if (current.status !== "active") return { skipped: current.status };
    if (sameDetails(current, details)) return "unchanged";
    try {
      await repo.update(row.email, details, now);
      return "updated";
    } catch (e) {
      // Deleted since we read it: the row then simply creates it again.
      if (!(e instanceof NotFoundError)) throw e;
      current = undefined;
    }
  }
  throw new ConflictError(
    "recipients.import-race",
    `line ${row.line}: ${row.email} kept changing during the import; import the file again`,
  );
}

function sameDetails(a: Pick<Recipient, "name" | "organization" | "tier" | "role">, b: typeof a): boolean {
  return a.name === b.name && a.organization === b.organization && a.tier === b.tier && a.role === b.role;
}
