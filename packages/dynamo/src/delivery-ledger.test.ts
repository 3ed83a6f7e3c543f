import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { parseDomainRates, RetryableError } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { DynamoDeliveryLedger } from "./delivery-ledger.ts";
import { AT, delivery, recount, useTestLedger } from "./delivery-fixtures.test-support.ts";

const t = useTestLedger();

/**
 * A document client whose answers to TransactWriteItems are lost `times` times: DynamoDB applied the
 * transaction, the caller saw a timeout (what the fault proxy's "timeout-after" does on the wire).
 */
function losingAnswers(client: DynamoDBDocumentClient, times: number): DynamoDBDocumentClient {
  let left = times;
  const send = (async (command: { constructor: { name: string } }) => {
    const answer = await client.send(command as never);
    if (command.constructor.name === "TransactWriteCommand" && left-- > 0)
      throw Object.assign(new Error("the answer was lost"), { name: "TimeoutError", $metadata: {} });
    return answer;
  }) as DynamoDBDocumentClient["send"];
  return new Proxy(client, { get: (target, p) => (p === "send" ? send : Reflect.get(target, p)) });
}

describe("DynamoDeliveryLedger on transactions", () => {
  it("counts each domain group's queued deliveries with the tier counters: what the send page shows as waiting", async () => {
    const ledger = new DynamoDeliveryLedger({
      ...t.table,
      domainGroups: parseDomainRates("qq.com,foxmail.com=3000/h;163.com=3000/h"),
    });
    const emails = ["a@qq.com", "b@foxmail.com", "c@qq.com", "d@163.com", "e@example.cn"];
    await ledger.add(emails.map((e, i) => delivery("grp", e, i % 2 ? "copy" : "report")));
    expect(await ledger.queuedByGroup("grp")).toEqual({ "qq.com": 3, "163.com": 1 });
    expect(await ledger.claim("grp", "report", ["a@qq.com", "c@qq.com"], AT)).toHaveLength(2);
    expect(await ledger.queuedByGroup("grp")).toEqual({ "qq.com": 1, "163.com": 1 });
    // Held back (released to queued) and sent: the count follows.
    await ledger.settle(
      "grp",
      [
        { email: "a@qq.com", tier: "report", to: "queued", fields: {} },
        { email: "c@qq.com", tier: "report", to: "sent", fields: { sesMessageId: "m-c" } },
      ],
      AT,
    );
    expect(await ledger.queuedByGroup("grp")).toEqual({ "qq.com": 2, "163.com": 1 });
    expect(await ledger.totals("grp")).toEqual(await recount(ledger, "grp"));
  });

  it("a chunk whose answer was lost is applied once: the retry carries the same ClientRequestToken", async () => {
    const ledger = new DynamoDeliveryLedger({ client: losingAnswers(t.table.client, 1), tableName: t.table.tableName });
    const emails = Array.from({ length: 50 }, (_, i) => `lost${i}@x.cn`);
    await ledger.add(emails.map((e) => delivery("lost", e, "report")));
    expect((await t.ledger.totals("lost")).totals.queued).toBe(50);
    const claiming = new DynamoDeliveryLedger({
      client: losingAnswers(t.table.client, 1),
      tableName: t.table.tableName,
    });
    expect((await claiming.claim("lost", "report", emails, AT)).sort()).toEqual([...emails].sort());
    const settling = new DynamoDeliveryLedger({
      client: losingAnswers(t.table.client, 1),
      tableName: t.table.tableName,
    });
    expect(
      await settling.settle(
        "lost",
        emails.map((email) => ({
          email,
          tier: "report" as const,
          to: "sent" as const,
          fields: { sesMessageId: `m-${email}` },
        })),
        AT,
      ),
    ).toEqual([]);
    expect((await t.ledger.totals("lost")).totals).toMatchObject({ queued: 0, sending: 0, sent: 50 });
    expect(await t.ledger.totals("lost")).toEqual(await recount(t.ledger, "lost"));
  });

  it("a claim that keeps failing is taken back, so nobody is left 'sending' without a call", async () => {
    await t.ledger.add([delivery("back", "b@x.cn", "report")]);
    const always = losingAnswers(t.table.client, 1_000);
    const ledger = new DynamoDeliveryLedger({ client: always, tableName: t.table.tableName });
    await expect(ledger.claim("back", "report", ["b@x.cn"], AT)).rejects.toBeInstanceOf(RetryableError);
    expect((await t.ledger.getMany("back", ["b@x.cn"]))[0]).toMatchObject({ status: "queued" });
    expect(await t.ledger.totals("back")).toEqual(await recount(t.ledger, "back"));
  }, 30_000);

  it("chunks of 50 of one send claimed and settled side by side keep the counters equal to the records", async () => {
    const emails = Array.from({ length: 400 }, (_, i) => `par${String(i).padStart(3, "0")}@x.cn`);
    await t.ledger.add(emails.map((e, i) => delivery("par", e, (["report", "distribute", "copy"] as const)[i % 3]!)));
    const byTier = (tier: "report" | "distribute" | "copy") =>
      emails.filter((_, i) => (["report", "distribute", "copy"] as const)[i % 3] === tier);
    const chunks = (["report", "distribute", "copy"] as const).flatMap((tier) => {
      const list = byTier(tier);
      return Array.from({ length: Math.ceil(list.length / 50) }, (_, k) => ({
        tier,
        emails: list.slice(k * 50, k * 50 + 50),
      }));
    });
    await Promise.all(
      chunks.map(async (c) => {
        const held = await t.ledger.claim("par", c.tier, c.emails, AT);
        await t.ledger.settle(
          "par",
          held.map((email) => ({ email, tier: c.tier, to: "sent", fields: { sesMessageId: "m" } })),
          AT,
        );
      }),
    );
    expect((await t.ledger.totals("par")).totals).toMatchObject({ sent: 400, queued: 0, sending: 0 });
    expect(await t.ledger.totals("par")).toEqual(await recount(t.ledger, "par"));
  });
});
