import { activeOrganisations, type AudienceSkip, type Coverage, hasIssueNumber, printedListCoverage, resolveAudience, type SendRequest, type StoredIssue, TIERS, type Tier } from "@bulletin/core";
import type { CopyLedger, RecipientRepo, Renderer, SuppressionRepo } from "@bulletin/core";

/** What a send would do if started now: how many each tier would get, and who would be skipped and why. */
export interface DryRunResult {
  /** What to look at before sending, as codes: "send.no-issue-number". */
  warnings: string[];
  counts: Record<Tier, number>;
  skipped: AudienceSkip[];
  /** The printed 报/发/送 lists against the tiers' active recipients: missing organisations are a warning. */
  coverage: Coverage;
  /**
   * Who maybe received the issue already (an earlier send's delivery ended unknown): among the
   * skipped, or among the counts when the send includes them (`includeMaybeReceived`).
   */
  maybeReceived: string[];
}

/**
 * A send without sending: the same audience the dispatcher would resolve (the suppression list and
 * the one-copy rule included), and every tier that would go out rendered, so a dry run also finds
 * what would fail to render. Shared by `POST /api/issues/:id/sends {dryRun: true}` and the
 * dashboard's preview of an issue's audience.
 *
 * @example
 * const { counts, skipped } = await dryRunSend(deps, stored, { tiers: [...TIERS], test: false, resend: false });
 * counts.report; // 8
 */
export async function dryRunSend(deps: { recipients: RecipientRepo; copies: CopyLedger; suppressions: SuppressionRepo; renderer: Renderer }, stored: StoredIssue, request: SendRequest): Promise<DryRunResult> {
  const audience = await resolveAudience({ issueId: stored.id, request, recipients: deps.recipients, copies: deps.copies, suppressed: (emails) => deps.suppressions.suppressed(emails) });
  const counts: Record<Tier, number> = { report: 0, distribute: 0, copy: 0 };
  for (const t of audience.targets) counts[t.tier]++;
  for (const tier of TIERS) if (counts[tier] > 0) await deps.renderer.prepare(stored.issue, tier, { originalPdf: stored.original !== undefined });
  const coverage = printedListCoverage(stored.issue.distribution, await activeOrganisations(deps.recipients));
  const warnings = [
    ...(!request.test && !hasIssueNumber(stored.issue) ? ["send.no-issue-number"] : []),
    ...(request.tiers.some((t) => coverage[t].missing.length > 0) ? ["send.printed-list-missing"] : []),
  ];
  return { warnings, counts, skipped: audience.skipped, coverage, maybeReceived: audience.maybeReceived };
}
