import {
  activeOrganisations,
  type AudienceSkip,
  type Coverage,
  hasIssueNumber,
  INLINE_EMAIL_BUDGET_BYTES,
  type PreparedEmail,
  type PreSendCheck,
  printedListCoverage,
  resolveAudience,
  type SendRequest,
  type StoredIssue,
  TIERS,
  type Tier,
} from "@bulletin/core";
import type { CopyLedger, RecipientRepo, SuppressionRepo } from "@bulletin/core";
import { checkIssue, prepareTier, type PreSendDeps } from "./pre-send.ts";

/** What a send would do if started now: how many each tier would get, and who would be skipped and why. */
export interface DryRunResult {
  /** What to look at before sending, as codes: "send.no-issue-number", "send.printed-list-missing", "send.email-too-heavy". */
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
  /**
   * The pre-send checks (HTML size, links, placeholders, alt text, subject length, DKIM), each a
   * pass, warn or fail with the reason in Chinese, over the tiers that would go out (the requested
   * ones when none would).
   */
  checks: PreSendCheck[];
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
export async function dryRunSend(
  deps: { recipients: RecipientRepo; copies: CopyLedger; suppressions: SuppressionRepo } & PreSendDeps,
  stored: StoredIssue,
  request: SendRequest,
): Promise<DryRunResult> {
  const audience = await resolveAudience({
    issueId: stored.id,
    request,
    recipients: deps.recipients,
    copies: deps.copies,
    suppressed: (emails) => deps.suppressions.suppressed(emails),
  });
  const counts: Record<Tier, number> = { report: 0, distribute: 0, copy: 0 };
  for (const t of audience.targets) counts[t.tier]++;
  let heaviest = 0;
  const prepared: Partial<Record<Tier, PreparedEmail>> = {};
  for (const tier of TIERS) {
    if (counts[tier] === 0) continue;
    prepared[tier] = await prepareTier(deps, stored, tier);
    heaviest = Math.max(heaviest, prepared[tier].emailBytes ?? 0);
  }
  const going = TIERS.filter((t) => counts[t] > 0);
  const checks = await checkIssue(deps, stored, going.length > 0 ? going : request.tiers, prepared);
  const coverage = printedListCoverage(stored.issue.distribution, await activeOrganisations(deps.recipients));
  const warnings = [
    ...(!request.test && !hasIssueNumber(stored.issue) ? ["send.no-issue-number"] : []),
    ...(request.tiers.some((t) => coverage[t].missing.length > 0) ? ["send.printed-list-missing"] : []),
    // Some mailboxes refuse or clip an email this heavy; linked photos keep it small.
    ...(heaviest > INLINE_EMAIL_BUDGET_BYTES ? ["send.email-too-heavy"] : []),
  ];
  return { warnings, counts, skipped: audience.skipped, coverage, maybeReceived: audience.maybeReceived, checks };
}
