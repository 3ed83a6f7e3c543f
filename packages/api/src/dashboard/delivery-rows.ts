import { DELIVERY_STATUSES, type Delivery, type DeliveryStatus, MAX_PAGE_SIZE, TIERS, type Tier } from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";

/** The recipient table's filters: status and tier go to the ledger, org and q are matched here. */
export interface DeliveryFilter {
  tier?: Tier;
  status?: DeliveryStatus;
  /** Substring of the recipient's organisation. */
  org?: string;
  /** Substring of the email, name or organisation. */
  q?: string;
}

/** A delivery with who it went to: deliveries carry only the address, the recipient list the rest. */
export interface DeliveryRow extends Delivery {
  name: string;
  organization: string;
  role: string;
}

type Deps = Pick<ApiDeps, "deliveries" | "recipients">;

/**
 * The filters of a request's query; unknown tiers and statuses mean "all", text is trimmed and capped.
 *
 * @example
 * parseDeliveryFilter({ status: "bounced", q: " 山西 " }); // { status: "bounced", q: "山西" }
 */
export function parseDeliveryFilter(query: Record<string, string | undefined>): DeliveryFilter {
  const text = (v: string | undefined) => v?.trim().slice(0, 200) || undefined;
  const tier = TIERS.find((t) => t === query.tier);
  const status = DELIVERY_STATUSES.find((s) => s === query.status);
  const org = text(query.org);
  const q = text(query.q);
  return { ...(tier ? { tier } : {}), ...(status ? { status } : {}), ...(org ? { org } : {}), ...(q ? { q } : {}) };
}

async function withRecipients(deps: Deps, deliveries: Delivery[]): Promise<DeliveryRow[]> {
  const found = await deps.recipients.getMany(deliveries.map((d) => d.email));
  // A recipient deleted since the send still has its delivery record: shown without name.
  return deliveries.map((d) => {
    const r = found.get(d.email);
    return { ...d, name: r?.name ?? "", organization: r?.organization ?? "", role: r?.role ?? "" };
  });
}

function matches(row: DeliveryRow, filter: DeliveryFilter): boolean {
  const has = (hay: string, needle: string) => hay.toLowerCase().includes(needle.toLowerCase());
  if (filter.org && !has(row.organization, filter.org)) return false;
  return !filter.q || [row.email, row.name, row.organization].some((f) => has(f, filter.q!));
}

/**
 * Every delivery of a send that passes the filter, a ledger page at a time (status and tier pushed
 * down to the ledger's index, organisation and text matched after joining the recipients).
 *
 * @example
 * for await (const rows of matchingRows(deps, sendId, { status: "bounced" })) csv.push(...rows);
 */
export async function* matchingRows(deps: Deps, sendId: string, filter: DeliveryFilter): AsyncGenerator<DeliveryRow[]> {
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.list(sendId, {
      limit: MAX_PAGE_SIZE,
      ...pushedDown(filter),
      ...(cursor ? { cursor } : {}),
    });
    yield (await withRecipients(deps, page.items)).filter((r) => matches(r, filter));
    cursor = page.cursor;
  } while (cursor !== undefined);
}

const pushedDown = (f: DeliveryFilter) => ({
  ...(f.status ? { status: f.status } : {}),
  ...(f.tier ? { tier: f.tier } : {}),
});

/**
 * One page of the recipient table. With only status/tier filters this is one ledger page and its
 * cursor; with an organisation or text filter the ledger cannot filter, so the send's deliveries
 * are read until the page is full and the cursor is an offset into the matches.
 *
 * @example
 * const { rows, cursor } = await deliveryPage(deps, sendId, { org: "通信管理局" }, undefined, 50);
 */
export async function deliveryPage(
  deps: Deps,
  sendId: string,
  filter: DeliveryFilter,
  cursor: string | undefined,
  size: number,
): Promise<{ rows: DeliveryRow[]; cursor?: string }> {
  if (!filter.org && !filter.q) {
    const page = await deps.deliveries.list(sendId, {
      limit: size,
      ...pushedDown(filter),
      ...(cursor ? { cursor } : {}),
    });
    return { rows: await withRecipients(deps, page.items), ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
  const offset = /^\d{1,9}$/.test(cursor ?? "") ? Number(cursor) : 0;
  const seen: DeliveryRow[] = [];
  // One match past the page tells whether there is a next page.
  for await (const rows of matchingRows(deps, sendId, filter)) {
    seen.push(...rows);
    if (seen.length > offset + size) break;
  }
  const rows = seen.slice(offset, offset + size);
  return { rows, ...(seen.length > offset + size ? { cursor: String(offset + size) } : {}) };
}
