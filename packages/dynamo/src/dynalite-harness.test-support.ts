import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient } from "./document-client.ts";
import { ensureTable } from "./table.ts";

// dynalite ships no types, and local-stack already declares the module ambiently; typing our one
// import here keeps the two packages from fighting over a second `declare module "dynalite"`.
const dynalite = createRequire(import.meta.url)("dynalite") as (opts: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}) => Server;

export interface TestTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  endpoint: string;
  close(): Promise<void>;
}

/**
 * An in-memory dynalite on a free loopback port, with the service's table created by ensureTable.
 * Call `close` in afterAll, or vitest keeps waiting on the open server.
 *
 * @example
 * let t: TestTable;
 * beforeAll(async () => { t = await startTestTable(); });
 * afterAll(() => t.close());
 */
export async function startTestTable(tableName = "bulletin-test"): Promise<TestTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDocumentClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await ensureTable(client, tableName, { pollMs: 10 });
  return {
    client,
    tableName,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
