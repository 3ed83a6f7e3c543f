import { MAX_PAGE_SIZE } from "../paging.ts";
import { checkEmail } from "../audience/email-address.ts";
import type { Recipient } from "../audience/recipient.ts";
import { TIERS, type Tier } from "../issue/issue-schema.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";
import type { SendRequest } from "./send-model.ts";
import type { CopyLedger } from "./send-ports.ts";

/** Someone the send will mail. */
export interface AudienceTarget {
  email: string;
  tier: Tier;
  name: string;
  organization: string;
}

/** Someone the send will not mail, and why (the reason is stored on the skipped delivery). */
export interface AudienceSkip {
  email: string;
  tier: Tier;
  reason: string;
}

export interface Audience {
  targets: AudienceTarget[];
  skipped: AudienceSkip[];
  /**
   * The addresses that maybe received the issue already (an earlier delivery ended unknown),
   * sorted: skipped by default, among the targets when the send includes them. Shown apart.
   */
  maybeReceived: string[];
}

export interface ResolveAudienceInput {
  issueId: string;
  request: SendRequest;
  recipients: RecipientRepo;
  copies: CopyLedger;
  /** The account-level suppression list (SES), when the caller has one: the addresses on it. */
  suppressed?: (emails: readonly string[]) => Promise<Set<string>>;
}

/** Skip reasons that are not a recipient status. */
export const SKIP_REASONS = {
  suppressed: "suppressed",
  alreadyReceived: "already received this issue",
  maybeReceived: "maybe received this issue (an earlier send ended unknown)",
  notRecipient: "not a recipient",
} as const;

/** The biggest page the recipient port allows: fewer round trips for a long list. */
const PAGE_SIZE = MAX_PAGE_SIZE;

/** One way an address came into the send: a recipient record, or a bare address from `only`. */
interface Candidate {
  email: string;
  tier: Tier;
  recipient?: Recipient;
  /** Set when the address is skipped before any other check (not a recipient, not an address). */
  skip?: string;
}

/**
 * Who a send mails, and who it skips with a reason. Rules, in the order they apply:
 *
 * 1. Without `request.only`: every recipient of `request.tiers` (an empty list is nobody — the API
 *    fills in the default, so an empty list here is never "everybody" by accident). With `only`:
 *    just those addresses, whatever their tier. A test send gives every address the first requested
 *    tier (else "distribute"): the secretariat checks that tier's email. On a real one `tiers` only
 *    names the template of addresses that are not on the list. An address that is not a recipient
 *    is mailed on a test send (no name) and skipped as "not a recipient" on a real one — a real
 *    send goes only to the list.
 * 2. One entry per address: an address met twice keeps its highest tier (report > distribute > copy).
 * 3. Recipients who unsubscribed, bounced or complained are skipped with that status as the reason,
 *    then suppressed addresses with "suppressed" (test sends too: mailing them hurts the account).
 * 4. One copy per person per issue: unless it is a test send, or an `only` send with `resend`,
 *    whoever already received the issue is skipped with "already received this issue", and whoever
 *    *maybe* received it (an earlier delivery ended unknown: SES may have accepted it) with "maybe
 *    received …", unless the request includes them (`includeMaybeReceived`).
 *
 * Both lists are sorted by tier rank, then email, so a dispatch is reproducible.
 *
 * @example
 * const { targets, skipped } = await resolveAudience({ issueId: "i1", request: { tiers: ["report"], test: false, resend: false }, recipients, copies });
 * skipped[0]; // { email: "gone@example.cn", tier: "report", reason: "unsubscribed" }
 */
export async function resolveAudience(input: ResolveAudienceInput): Promise<Audience> {
  const all: Audience = { targets: [], skipped: [], maybeReceived: [] };
  await forEachAudiencePage(input, async (page) => {
    all.targets.push(...page.targets);
    all.skipped.push(...page.skipped);
    all.maybeReceived.push(...page.maybeReceived);
  });
  return {
    targets: all.targets.sort(byTierThenEmail),
    skipped: all.skipped.sort(byTierThenEmail),
    maybeReceived: all.maybeReceived.sort(),
  };
}

/**
 * resolveAudience a page of recipients at a time, for the dispatcher: a 100,000-recipient send never
 * holds its whole list in memory, only the addresses seen so far. Tiers are read in rank order, so
 * an address listed under two tiers keeps the highest, as in resolveAudience. Each page's lists are
 * sorted by tier rank, then email.
 *
 * @example
 * await forEachAudiencePage(input, async ({ targets, skipped }) => ledger.add(toDeliveries(targets, skipped)));
 */
export async function forEachAudiencePage(
  input: ResolveAudienceInput,
  onPage: (page: Audience) => Promise<void>,
): Promise<void> {
  const { request } = input;
  if (request.only !== undefined) {
    await onPage(await decide(input, highestTierPerEmail(await onlyCandidates(input, request.only))));
    return;
  }
  const seen = new Set<string>();
  for (const tier of TIERS.filter((t) => request.tiers.includes(t))) {
    let cursor: string | undefined;
    do {
      const page = await input.recipients.list({ tier, limit: PAGE_SIZE, ...(cursor === undefined ? {} : { cursor }) });
      // The tier of the candidate is the tier listed under, not re-read from the record: with
      // multi-tier data one address may come back under several tiers, and the first (highest) wins.
      const candidates: Candidate[] = [];
      for (const r of page.items) {
        if (seen.has(r.email)) continue;
        seen.add(r.email);
        candidates.push({ email: r.email, tier, recipient: r });
      }
      if (candidates.length > 0) await onPage(await decide(input, candidates));
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
}

/** Rules 3 and 4 for one set of unique candidates. */
async function decide(input: ResolveAudienceInput, unique: readonly Candidate[]): Promise<Audience> {
  const { request } = input;
  const skipped: AudienceSkip[] = [];
  const maybeReceived: string[] = [];
  const skip = (c: Candidate, reason: string) => skipped.push({ email: c.email, tier: c.tier, reason });

  let remaining: Candidate[] = [];
  for (const c of unique) {
    if (c.skip !== undefined) skip(c, c.skip);
    else if (c.recipient && c.recipient.status !== "active") skip(c, c.recipient.status);
    else remaining.push(c);
  }

  if (input.suppressed && remaining.length > 0) {
    const suppressed = await input.suppressed(remaining.map((c) => c.email));
    remaining = remaining.filter((c) => {
      if (!suppressed.has(c.email)) return true;
      skip(c, SKIP_REASONS.suppressed);
      return false;
    });
  }

  // A test send never counts as the real one, and a deliberate re-send to named addresses is the
  // secretariat's choice; every other send keeps the one-copy rule.
  const ignoreCopies = request.test || (request.only !== undefined && request.resend);
  if (!ignoreCopies && remaining.length > 0) {
    const received = await input.copies.received(
      input.issueId,
      remaining.map((c) => c.email),
    );
    remaining = remaining.filter((c) => {
      const state = received.get(c.email);
      if (state === "maybe") maybeReceived.push(c.email);
      if (state === "received") skip(c, SKIP_REASONS.alreadyReceived);
      else if (state === "maybe" && !request.includeMaybeReceived) skip(c, SKIP_REASONS.maybeReceived);
      else return true;
      return false;
    });
  }

  const targets = remaining.map((c) => ({
    email: c.email,
    tier: c.tier,
    name: c.recipient?.name ?? "",
    organization: c.recipient?.organization ?? "",
  }));
  return {
    targets: targets.sort(byTierThenEmail),
    skipped: skipped.sort(byTierThenEmail),
    maybeReceived: maybeReceived.sort(),
  };
}

async function onlyCandidates(input: ResolveAudienceInput, only: readonly string[]): Promise<Candidate[]> {
  const fallbackTier: Tier = input.request.tiers[0] ?? "distribute";
  const valid: string[] = [];
  const out: Candidate[] = [];
  for (const raw of only) {
    // The list is keyed by the normalised address, so "Office@X.cn" must find "office@x.cn".
    const check = checkEmail(raw);
    if (check.ok) valid.push(check.email);
    else out.push({ email: raw.trim(), tier: fallbackTier, skip: `invalid address: ${check.reason}` });
  }
  const found = await input.recipients.getMany([...new Set(valid)]);
  for (const email of valid) {
    const recipient = found.get(email);
    // A test send shows the chosen tier's email to whoever it goes to; a real one keeps each recipient's tier.
    if (recipient) out.push({ email, tier: input.request.test ? fallbackTier : recipient.tier, recipient });
    else if (input.request.test) out.push({ email, tier: fallbackTier });
    else out.push({ email, tier: fallbackTier, skip: SKIP_REASONS.notRecipient });
  }
  return out;
}

/**
 * One candidate per address: the highest tier wins, and at equal tier a real recipient record beats
 * a bare address (so its status and name are used).
 */
function highestTierPerEmail(candidates: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const c of candidates) {
    const seen = best.get(c.email);
    if (!seen || tierRank(c.tier) < tierRank(seen.tier) || (c.tier === seen.tier && !seen.recipient && c.recipient)) {
      best.set(c.email, c);
    }
  }
  return [...best.values()];
}

function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

function byTierThenEmail(a: { tier: Tier; email: string }, b: { tier: Tier; email: string }): number {
  return tierRank(a.tier) - tierRank(b.tier) || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0);
}
