import { type Distribution, TIERS, type Tier } from "../issue/issue-schema.ts";
import { MAX_PAGE_SIZE } from "../paging.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";

/** How the active recipients of a tier cover the organisations its printed 报/发/送 line names. */
export interface TierCoverage {
  /** The footer's entries for the tier, as printed. */
  listed: string[];
  /** Entries with an active recipient whose organisation equals or contains them. */
  covered: string[];
  /** Entries with no such recipient: a warning (someone the printed bulletin names will not get the email), never a block. */
  missing: string[];
  /** Entries that name a group or a position, not one organisation (各省通信行业协会, 相关单位, 常务理事): neither covered nor missing. */
  groups: string[];
}
export type Coverage = Record<Tier, TierCoverage>;

// A group of organisations or of people, not one organisation: "各…", "本会…", "…相关单位", a council position.
const GROUP =
  /^(?:各|本会|全体)|(?:相关单位|有关单位|会员单位|成员单位|理事单位|各单位)$|^(?:副?理事长|常务理事|理事|副?会长|秘书长|监事长?|常务副会长)$/u;
// "山西省通信管理局领导": the organisation's people; the organisation is what a recipient names.
const PEOPLE = /(?:各位领导|领导|负责人|负责同志|主要负责同志)$/u;

/** An organisation's name for comparing: no spaces, full-width forms folded (NFKC). */
const fold = (s: string) => s.normalize("NFKC").replace(/[\s\u3000]+/gu, "");

/**
 * True when the footer entry names a group or a position rather than one organisation.
 *
 * @example
 * isGroupEntry("各省通信行业协会"); // true
 * isGroupEntry("山西省通信管理局领导"); // false
 */
export function isGroupEntry(entry: string): boolean {
  return GROUP.test(fold(entry));
}

/**
 * Compares each tier's organisations in the footer with the organisations of that tier's
 * active recipients: an entry is covered when some recipient's organisation equals or contains it
 * (after taking off "领导" and the like), missing when none does, and a group entry is neither.
 *
 * @example
 * printedListCoverage({ report: ["山西省通信管理局领导", "各中心"], distribute: [], copy: [] }, { report: ["山西省通信管理局"], distribute: [], copy: [] }).report;
 * // { listed: ["山西省通信管理局领导", "各中心"], covered: ["山西省通信管理局领导"], missing: [], groups: ["各中心"] }
 */
export function printedListCoverage(
  distribution: Distribution,
  activeOrganisations: Record<Tier, Iterable<string>>,
): Coverage {
  const out = {} as Coverage;
  for (const tier of TIERS) {
    const orgs = [...new Set([...activeOrganisations[tier]].map(fold).filter(Boolean))];
    const c: TierCoverage = { listed: [...distribution[tier]], covered: [], missing: [], groups: [] };
    for (const entry of distribution[tier]) {
      if (isGroupEntry(entry)) c.groups.push(entry);
      else {
        const name = fold(entry).replace(PEOPLE, "") || fold(entry);
        (orgs.some((o) => o.includes(name)) ? c.covered : c.missing).push(entry);
      }
    }
    out[tier] = c;
  }
  return out;
}

/**
 * The organisations of each tier's active recipients, read a page at a time (for the dry run).
 *
 * @example
 * const orgs = await activeOrganisations(recipients); // { report: Set { "山西省通信管理局", … }, … }
 */
export async function activeOrganisations(recipients: RecipientRepo): Promise<Record<Tier, Set<string>>> {
  const out = { report: new Set<string>(), distribute: new Set<string>(), copy: new Set<string>() };
  for (const tier of TIERS) {
    let cursor: string | undefined;
    do {
      const page = await recipients.list({
        tier,
        status: "active",
        limit: MAX_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      for (const r of page.items) if (r.organization) out[tier].add(r.organization);
      cursor = page.cursor;
    } while (cursor);
  }
  return out;
}
