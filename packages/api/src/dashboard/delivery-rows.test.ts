import type { Delivery, Recipient, Tier } from "@bulletin/core";
import { InMemoryDeliveryLedger, InMemoryRecipientRepo } from "@bulletin/core/testing";
import { describe, expect, it } from "vitest";
import { deliveriesToCsv } from "./deliveries-csv.ts";
import { deliveryPage, matchingRows, parseDeliveryFilter } from "./delivery-rows.ts";

const at = "2026-03-01T08:00:00.000Z";
const tiers: Tier[] = ["report", "distribute", "copy"];
const recipient = (i: number): Recipient => ({
  email: `r${String(i).padStart(3, "0")}@example.cn`,
  name: i === 7 ? '=HYPERLINK("x")' : `联系人${i}`,
  organization: i % 3 === 0 ? "山西省通信管理局" : `会员单位${i}`,
  tier: tiers[i % 3]!,
  role: "",
  status: "active",
  createdAt: at,
  updatedAt: at,
});

/** 250 deliveries (more than two ledger pages) of one send, every third to the 管理局. */
async function world() {
  const people = Array.from({ length: 250 }, (_, i) => recipient(i));
  const deliveries = new InMemoryDeliveryLedger();
  await deliveries.add(
    people.map(
      (r): Delivery => ({
        sendId: "s1",
        email: r.email,
        tier: r.tier,
        status: "queued",
        attempts: 0,
        createdAt: at,
        updatedAt: at,
      }),
    ),
  );
  // One recipient was deleted since: its delivery stays, without a name.
  return { deliveries, recipients: new InMemoryRecipientRepo(people.filter((r) => r.email !== "r003@example.cn")) };
}

describe("the recipient table of a send", () => {
  it("reads filters from the query, ignoring what is not a tier or status", () => {
    expect(parseDeliveryFilter({ tier: "copy", status: "nope", org: "  ", q: " 山西 " })).toEqual({
      tier: "copy",
      q: "山西",
    });
  });

  it("pages through an organisation filter across ledger pages with offset cursors, joined with names", async () => {
    const deps = await world();
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await deliveryPage(deps, "s1", { org: "管理局" }, cursor, 30);
      seen.push(...page.rows.map((r) => r.email));
      expect(page.rows.every((r) => r.organization === "山西省通信管理局" || r.email === "r003@example.cn")).toBe(true);
      cursor = page.cursor;
    } while (cursor);
    // 84 of 250 are every third; the deleted one no longer matches (no organisation to match).
    expect(seen).toHaveLength(83);
    expect(new Set(seen).size).toBe(83);
    expect(seen).not.toContain("r003@example.cn");
  });

  it("pushes tier down and matches text on email, name and organisation", async () => {
    const deps = await world();
    const rows = [];
    for await (const page of matchingRows(deps, "s1", { tier: "distribute", q: "联系人1" })) rows.push(...page);
    expect(rows.every((r) => r.tier === "distribute" && r.name.startsWith("联系人1"))).toBe(true);
    expect(rows.map((r) => r.email)).toContain("r010@example.cn");
    const plain = await deliveryPage(deps, "s1", { tier: "report" }, undefined, 10);
    expect(plain.rows).toHaveLength(10);
    expect(plain.cursor).toBeDefined();
    expect(plain.rows.find((r) => r.email === "r003@example.cn")?.name).toBe("");
  });

  it("exports CSV with a BOM, CRLF and formulas defused", async () => {
    const deps = await world();
    const rows = (await deliveryPage(deps, "s1", { q: "r007@" }, undefined, 10)).rows;
    const csv = deliveriesToCsv(rows);
    expect(csv).toBe(
      `\uFEFFemail,name,organization,tier,status,reason,sesMessageId,updatedAt\r\nr007@example.cn,"'=HYPERLINK(""x"")",会员单位7,distribute,queued,,,${at}\r\n`,
    );
  });
});
