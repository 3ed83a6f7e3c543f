import { type Distribution, TIERS, type Tier } from "../issue/issue-schema.ts";
import { isGroupEntry } from "./coverage.ts";
import type { DeliveryStatus } from "./send-model.ts";

/**
 * What became of the recipients of an organisation, each counted once: the delivery statuses, with
 * "unsubscribed" taken out of "skipped" (a person who left the list, not a rule of the send) and
 * "pending" for the queued and those being sent. The sums over all organisations are the send's totals.
 */
export const OUTCOMES = [
  "delivered",
  "sent",
  "bounced",
  "complained",
  "failed",
  "unsubscribed",
  "skipped",
  "unknown",
  "pending",
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** One delivery with who it went to. */
export interface ReportRow {
  email: string;
  tier: Tier;
  status: DeliveryStatus;
  reason?: string | undefined;
  updatedAt?: string | undefined;
  name: string;
  organization: string;
  role: string;
}

export interface OrganisationLine {
  tier: Tier;
  /** As the recipients give it; "" when the recipient is gone from the list. */
  organization: string;
  /** True when the printed line for the tier names it (equal, or contained in the name). */
  listed: boolean;
  counts: Record<Outcome, number> & { total: number };
  recipients: (Omit<ReportRow, "tier" | "organization"> & { outcome: Outcome })[];
}

/**
 * The outcome a delivery counts under.
 *
 * @example
 * outcomeOf({ status: "skipped", reason: "unsubscribed" }); // "unsubscribed"
 */
export function outcomeOf(d: { status: DeliveryStatus; reason?: string | undefined }): Outcome {
  if (d.status === "queued" || d.status === "sending") return "pending";
  if (d.status === "skipped" && d.reason === "unsubscribed") return "unsubscribed";
  return d.status;
}

/** Outcomes to follow up: the email did not arrive, or nobody knows whether it did. */
export const FOLLOW_UP: readonly Outcome[] = ["bounced", "failed", "unknown"];

const fold = (s: string) => s.normalize("NFKC").replace(/[\s\u3000]+/gu, "");

/**
 * The report per organisation of a send (报送回执): per tier, every organisation of its recipients
 * with how many were delivered, bounced, complained, failed, unsubscribed, skipped or are unknown,
 * and who they are; organisations the printed 报/发/送 line names come first, in its order, and
 * those it names that had nobody in the send are there with no recipients (nobody there got it).
 *
 * @example
 * const lines = organisationReport(rows, issue.distribution);
 * lines.find((l) => l.organization === "山西省通信管理局")?.counts.delivered; // 3
 */
export function organisationReport(rows: Iterable<ReportRow>, distribution: Distribution): OrganisationLine[] {
  const byKey = new Map<string, OrganisationLine>();
  for (const row of rows) {
    const key = `${row.tier}\u0000${row.organization}`;
    let line = byKey.get(key);
    if (!line) {
      line = {
        tier: row.tier,
        organization: row.organization,
        listed: false,
        counts: { ...zero(), total: 0 },
        recipients: [],
      };
      byKey.set(key, line);
    }
    const outcome = outcomeOf(row);
    line.counts[outcome]++;
    line.counts.total++;
    const { tier: _t, organization: _o, ...person } = row;
    line.recipients.push({ ...person, outcome });
  }
  const out: OrganisationLine[] = [];
  for (const tier of TIERS) {
    const lines = [...byKey.values()].filter((l) => l.tier === tier);
    const printed = distribution[tier].filter((e) => !isGroupEntry(e));
    const rank = (l: OrganisationLine) => {
      const i = printed.findIndex(
        (e) =>
          l.organization !== "" &&
          fold(l.organization).includes(fold(e).replace(/(?:各位领导|领导|负责人|负责同志)$/u, "")),
      );
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    for (const l of lines) l.listed = rank(l) !== Number.MAX_SAFE_INTEGER;
    lines.sort(
      (a, b) =>
        rank(a) - rank(b) ||
        (a.organization === ""
          ? 1
          : b.organization === ""
            ? -1
            : a.organization.localeCompare(b.organization, "zh-CN")),
    );
    for (const l of lines) l.recipients.sort((a, b) => a.email.localeCompare(b.email));
    // Printed organisations nobody in the send belongs to: in the report, so that "did X get it" has an answer.
    const absent = printed.filter((e) => !lines.some((l) => l.listed && rank(l) === printed.indexOf(e)));
    out.push(
      ...lines,
      ...absent.map(
        (organization): OrganisationLine => ({
          tier,
          organization,
          listed: true,
          counts: { ...zero(), total: 0 },
          recipients: [],
        }),
      ),
    );
  }
  return out;
}

function zero(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}
