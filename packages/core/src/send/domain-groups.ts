import { InvalidInputError } from "../errors/errors.ts";

/**
 * Receivers limit how much they take from one sender: NetEase publishes about 3,000 an hour (and
 * 100,000 a day), QQ answers "550 … frequency limited". A domain group is the domains one receiver
 * serves, with the most it takes in a window (a limit per second, minute, hour or day).
 */
export interface DomainGroup {
  /** The group's name: its first domain. */
  name: string;
  domains: string[];
  limit: number;
  windowMs: number;
  /** The limit as written: "3000/h". */
  rate: string;
}

const UNITS: Record<string, number> = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * The groups used when DOMAIN_RATES (BULLETIN_DOMAIN_RATES on AWS) is not set: QQ Mail (with
 * Foxmail) and NetEase, at NetEase's published 3,000 an hour. Tencent's enterprise mail serves
 * companies' own domains, which cannot be told from the address: name them in a group of your own.
 */
export const DEFAULT_DOMAIN_RATES =
  "qq.com,foxmail.com,vip.qq.com=3000/h;163.com,126.com,yeah.net,188.com,vip.163.com,vip.126.com=3000/h";

/**
 * Reads the domain groups: `domains=limit/unit` separated by ";" (unit s, min, h or d), e.g.
 * "qq.com,foxmail.com=3000/h;163.com,126.com=3000/h". "none" means no group (only the account's
 * rate). A domain in two groups, a limit that is not a whole number above zero, or an unknown unit
 * is refused with the part that is wrong.
 *
 * @example
 * parseDomainRates("qq.com,foxmail.com=3000/h")[0]; // { name: "qq.com", domains: ["qq.com", "foxmail.com"], limit: 3000, windowMs: 3600000, rate: "3000/h" }
 */
export function parseDomainRates(text: string | undefined): DomainGroup[] {
  const spec = (text ?? DEFAULT_DOMAIN_RATES).trim();
  if (/^(none|off)$/i.test(spec)) return [];
  const seen = new Set<string>();
  const groups: DomainGroup[] = [];
  for (const part of spec
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=\s*(\d+)\s*\/\s*(s|min|h|d)$/i.exec(part);
    if (!m)
      throw new InvalidInputError(
        "config.domain-rates",
        `"${part}" is not domains=limit/unit (unit s, min, h or d), e.g. qq.com,foxmail.com=3000/h`,
      );
    const limit = Number(m[2]);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new InvalidInputError("config.domain-rates", `the limit in "${part}" must be a whole number of at least 1`);
    const domains = m[1]!
      .split(",")
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean);
    for (const d of domains) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d))
        throw new InvalidInputError("config.domain-rates", `"${d}" in "${part}" is not a domain`);
      if (seen.has(d)) throw new InvalidInputError("config.domain-rates", `${d} is in two domain groups`);
      seen.add(d);
    }
    if (domains.length === 0) throw new InvalidInputError("config.domain-rates", `"${part}" names no domain`);
    const unit = m[3]!.toLowerCase();
    groups.push({ name: domains[0]!, domains, limit, windowMs: UNITS[unit]!, rate: `${limit}/${unit}` });
  }
  return groups;
}

/**
 * The group of an address's domain (exactly the domain after "@", lower-cased), if any.
 *
 * @example
 * domainGroupOf(groups, "ann@QQ.com")?.name; // "qq.com"
 */
export function domainGroupOf(groups: readonly DomainGroup[], email: string): DomainGroup | undefined {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return groups.find((g) => g.domains.includes(domain));
}

/**
 * A group's limit for one send: halved (at least 1) once a receiver of the group pushed back during
 * it (receiver-pushback.ts).
 *
 * @example
 * effectiveLimit(group, ["qq.com"]); // 1500 for qq.com=3000/h
 */
export function effectiveLimit(group: DomainGroup, throttledGroups: readonly string[] | undefined): number {
  return throttledGroups?.includes(group.name) ? Math.max(1, Math.floor(group.limit / 2)) : group.limit;
}
