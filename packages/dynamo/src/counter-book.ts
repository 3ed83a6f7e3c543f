import { randomUUID } from "node:crypto";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ConflictError, type DeliveryStatus, type Tier } from "@bulletin/core";
import { chunk, mapLimit } from "./concurrency.ts";
import { callDynamo } from "./errors.ts";
import { counterKeys, deliveryKeys } from "./keys.ts";

/**
 * What a delivery owes its tier's counter, written by step 1 (the transition itself) and removed by
 * step 3. `from` is absent when the delivery was just created. `at` is when the current owner took
 * the marker (ms): after `leaseMs` someone else may take it over and finish it.
 */
export interface CounterMarker {
  tid: string;
  from?: DeliveryStatus;
  to: DeliveryStatus;
  at: number;
}

/** A marker the caller owns (it wrote step 1, or won takeOver), on the delivery it belongs to. */
export interface OwnedMarker {
  email: string;
  tier: Tier;
  marker: CounterMarker;
}

/**
 * Called after steps 1–3 of the protocol (for an add: after the Puts, the count, the journal's
 * removal); only tests pass one, and throwing from it simulates a crash at that point.
 */
export type CounterStepHook = (step: 1 | 2 | 3) => void;

export interface CounterBookOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  leaseMs: number;
  clock: () => number;
  afterStep?: CounterStepHook;
}

// Tids in one conditional counter update: each adds a `NOT contains(applied, :tN)` to the condition.
const GROUP = 25;
const UUID_LENGTH = 36;

/**
 * Steps 2–4 of the counter protocol of docs/data-model.md, and the lease that makes sure only one
 * process at a time finishes a given marker (the reason forgetting a tid in step 4 is safe).
 *
 * @example
 * const book = new CounterBook({ client, tableName, leaseMs: 900_000, clock: Date.now });
 * await book.finish(sendId, [{ email, tier, marker }]);
 */
export class CounterBook {
  constructor(private readonly opts: CounterBookOptions) {}

  /**
   * A fresh marker. The tid is random, so it is unique without a read, and it ends with the address
   * so that a tid left in `applied` leads back to its delivery: `D <uuid> <email>`.
   */
  newMarker(email: string, from: DeliveryStatus | undefined, to: DeliveryStatus): CounterMarker {
    const marker: CounterMarker = { tid: `D ${randomUUID()} ${email}`, to, at: this.opts.clock() };
    if (from !== undefined) marker.from = from;
    return marker;
  }

  /** The tid of an add journal (one chunk of created deliveries): `A <uuid>`. */
  static journalTid(): string {
    return `A ${randomUUID()}`;
  }

  /** Where a tid came from: the address of a delivery marker, or an add journal. */
  static originOf(tid: string): { email: string } | { journal: string } {
    return tid.startsWith("A ") ? { journal: tid } : { email: tid.slice(UUID_LENGTH + 3) };
  }

  step(n: 1 | 2 | 3): void {
    this.opts.afterStep?.(n);
  }

  /**
   * Steps 2, 3 and 4 for markers the caller owns (and has not held for half the lease): per tier, one counter ADD for up to 25 markers
   * (conditional on none of their tids being counted yet), then clear each marker, then forget the
   * tids. A group whose condition fails (some tid was counted before a crash) falls back to one
   * update per marker, where a failed condition simply means "already counted".
   */
  async finish(sendId: string, all: readonly OwnedMarker[]): Promise<void> {
    const owned = all.filter((o) => this.stillOwned(o.marker.at));
    if (owned.length === 0) return;
    const byTier = new Map<Tier, OwnedMarker[]>();
    for (const o of owned) {
      const list = byTier.get(o.tier);
      if (list) list.push(o);
      else byTier.set(o.tier, [o]);
    }
    const groups = [...byTier].flatMap(([tier, list]) => chunk(list, GROUP).map((g) => [tier, g] as const));
    await mapLimit(groups, 8, async ([tier, group]) => {
      if (!(await this.count(sendId, tier, group)) && group.length > 1) {
        await mapLimit(group, 8, (o) => this.count(sendId, tier, [o]));
      }
    });
    this.step(2);
    await mapLimit(owned, 32, (o) => this.clear(sendId, o));
    this.step(3);
    await mapLimit(groups, 8, ([tier, group]) => this.forget(sendId, tier, group.map((o) => o.marker.tid)));
  }

  /**
   * Whether a marker or journal taken at `at` is still safely ours to count. Past half the lease
   * (a long GC pause, a suspended machine) it is left to the sweeper instead: counting it now could
   * race a sweeper that has already taken it over, and count it twice.
   */
  stillOwned(at: number): boolean {
    return this.opts.clock() - at < this.opts.leaseMs / 2;
  }

  /**
   * Takes a stale marker over (its owner is presumed dead after `leaseMs`). At most one caller wins
   * per lease period, because the condition checks the `at` that the winner then replaces.
   */
  async takeOver(sendId: string, email: string, tid: string): Promise<OwnedMarker | null> {
    const now = this.opts.clock();
    try {
      const res = await callDynamo({ tableName: this.opts.tableName }, () =>
        this.opts.client.send(
          new UpdateCommand({
            TableName: this.opts.tableName,
            Key: deliveryKeys.item(sendId, email),
            UpdateExpression: "SET counterPending.#at = :now",
            ConditionExpression: "counterPending.tid = :tid AND counterPending.#at <= :staleBefore",
            ExpressionAttributeNames: { "#at": "at" },
            ExpressionAttributeValues: { ":now": now, ":tid": tid, ":staleBefore": now - this.opts.leaseMs },
            ReturnValues: "ALL_NEW",
          }),
        ),
      );
      const item = res.Attributes ?? {};
      return { email, tier: item.tier as Tier, marker: item.counterPending as CounterMarker };
    } catch (err) {
      if (err instanceof ConflictError) return null; // finished meanwhile, or its owner is still alive
      throw err;
    }
  }

  /** Forgets tids whose delivery no longer owes them (left behind by a crash between steps 3 and 4). */
  async forget(sendId: string, tier: Tier, tids: readonly string[]): Promise<void> {
    for (const part of chunk(tids, GROUP)) {
      if (part.length === 0) continue;
      await callDynamo({ tableName: this.opts.tableName }, () =>
        this.opts.client.send(
          new UpdateCommand({
            TableName: this.opts.tableName,
            Key: counterKeys.item(sendId, tier),
            UpdateExpression: "DELETE applied :tids",
            ExpressionAttributeValues: { ":tids": new Set(part) },
          }),
        ),
      );
    }
  }

  /** Step 2 for markers: their moves, netted per status, under all their tids. */
  private async count(sendId: string, tier: Tier, group: readonly OwnedMarker[]): Promise<boolean> {
    const delta = new Map<DeliveryStatus, number>();
    for (const { marker } of group) {
      if (marker.from !== undefined) delta.set(marker.from, (delta.get(marker.from) ?? 0) - 1);
      delta.set(marker.to, (delta.get(marker.to) ?? 0) + 1);
    }
    return this.addCounts(sendId, tier, group.map((o) => o.marker.tid), delta);
  }

  /**
   * Step 2 itself: ADD the deltas and the tids to `applied`, on condition that none of the tids is
   * there yet. Returns false when the condition failed, i.e. some tid was already counted.
   */
  async addCounts(sendId: string, tier: Tier, tids: readonly string[], delta: ReadonlyMap<DeliveryStatus, number>): Promise<boolean> {
    const names: Record<string, string> = { "#type": "type", "#tier": "tier" };
    const values: Record<string, unknown> = { ":tids": new Set(tids), ":type": "counter", ":tier": tier };
    const adds = ["applied :tids"];
    for (const [status, n] of delta) {
      if (n === 0) continue;
      names[`#${status}`] = status;
      values[`:${status}`] = n;
      adds.push(`#${status} :${status}`);
    }
    tids.forEach((tid, i) => (values[`:t${i}`] = tid));
    try {
      await callDynamo({ tableName: this.opts.tableName }, () =>
        this.opts.client.send(
          new UpdateCommand({
            TableName: this.opts.tableName,
            Key: counterKeys.item(sendId, tier),
            UpdateExpression: `SET #type = :type, #tier = :tier ADD ${adds.join(", ")}`,
            ConditionExpression: tids.map((_, i) => `NOT contains(applied, :t${i})`).join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return true;
    } catch (err) {
      if (err instanceof ConflictError) return false;
      throw err;
    }
  }

  /** Step 3: the delivery no longer owes the counter; it also leaves the sparse pending index. */
  private async clear(sendId: string, o: OwnedMarker): Promise<void> {
    try {
      await callDynamo({ tableName: this.opts.tableName }, () =>
        this.opts.client.send(
          new UpdateCommand({
            TableName: this.opts.tableName,
            Key: deliveryKeys.item(sendId, o.email),
            UpdateExpression: "REMOVE counterPending, gsi2pk, gsi2sk",
            ConditionExpression: "counterPending.tid = :tid",
            ExpressionAttributeValues: { ":tid": o.marker.tid },
          }),
        ),
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // already cleared by whoever took it over
    }
  }
}
