import { afterEach, describe, expect, it, vi } from "vitest";
import { tableDefinition } from "@bulletin/dynamo";
import { evaluate } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the table", () => {
  it("has the keys and indexes of tableDefinition(), on-demand, with point-in-time recovery", async () => {
    const { graph } = await evaluate("dev");
    const args = graph.byName("Table").args as {
      fields: Record<string, string>;
      primaryIndex: { hashKey: string; rangeKey?: string };
      globalIndexes: Record<string, { hashKey: string; rangeKey?: string; projection?: string }>;
      ttl?: unknown;
      stream?: unknown;
      transform: { table: { pointInTimeRecovery: { enabled: boolean } } };
    };
    const def = tableDefinition("t");
    const sstType = { string: "S", number: "N", binary: "B" } as Record<string, string>;
    expect(
      Object.entries(args.fields)
        .map(([name, type]) => ({ AttributeName: name, AttributeType: sstType[type] }))
        .sort(byName),
    ).toEqual([...(def.AttributeDefinitions ?? [])].sort(byName));
    expect(keySchema(args.primaryIndex)).toEqual(def.KeySchema);
    expect(
      Object.entries(args.globalIndexes).map(([name, index]) => ({
        IndexName: name,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: (index.projection ?? "all") === "all" ? "ALL" : String(index.projection) },
      })),
    ).toEqual(def.GlobalSecondaryIndexes);
    // SST's Dynamo is always PAY_PER_REQUEST, as tableDefinition() is.
    expect(def.BillingMode).toBe("PAY_PER_REQUEST");
    expect(args.ttl).toBeUndefined();
    expect(args.stream).toBeUndefined();
    expect(args.transform.table.pointInTimeRecovery.enabled).toBe(true);
    expect(graph.byName("Table").args.deletionProtection).toBe(false);
  });

  it("is deletion-protected on production", async () => {
    const { graph } = await evaluate("production");
    expect(graph.byName("Table").args.deletionProtection).toBe(true);
  });
});

function byName(a: { AttributeName?: string }, b: { AttributeName?: string }) {
  return String(a.AttributeName).localeCompare(String(b.AttributeName));
}

function keySchema(index: { hashKey: string; rangeKey?: string }) {
  return [
    { AttributeName: index.hashKey, KeyType: "HASH" },
    ...(index.rangeKey ? [{ AttributeName: index.rangeKey, KeyType: "RANGE" }] : []),
  ];
}
