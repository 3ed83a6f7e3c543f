import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { awsClientConfig, readSentEmails, startLocalStack } from "@bulletin/emulators";
import { describe, expect, it } from "vitest";
import { readLocalConfig } from "./local-config.ts";
import { startLocalService } from "./local-service.ts";

describe("readLocalConfig", () => {
  it("has defaults for everything and fails loudly on a bad value", () => {
    expect(readLocalConfig({}, [])).toMatchObject({
      port: 3000,
      sesPort: 8005,
      publicUrl: "http://localhost:3000",
      dataDir: ".data",
      fresh: false,
    });
    expect(readLocalConfig({ PORT: "8080" }, ["--fresh"])).toMatchObject({
      publicUrl: "http://localhost:8080",
      fresh: true,
    });
    expect(() => readLocalConfig({ PORT: "http" }, [])).toThrow(/PORT must be a port number/);
    expect(() => readLocalConfig({ PUBLIC_URL: "javascript:alert(1)" }, [])).toThrow(/PUBLIC_URL/);
    expect(() => readLocalConfig({ BULLETIN_ADMIN_TOKEN: "short" }, [])).toThrow(/at least 20/);
    expect(() => readLocalConfig({ LOCAL_EMULATORS: "off", BULLETIN_SES_ENDPOINT: "http://127.0.0.1:1" }, [])).toThrow(
      /LOCAL_EMULATORS=off needs BULLETIN_DYNAMODB_ENDPOINT/,
    );
    expect(() => readLocalConfig({ LOCAL_EMULATORS: "maybe" }, [])).toThrow(/LOCAL_EMULATORS must be on or off/);
  });
});

describe("LOCAL_EMULATORS=off", () => {
  it("starts no emulator: the service keeps its data in, and sends through, emulators running elsewhere, and leaves them running", async () => {
    const elsewhere = await startLocalStack({
      dataDir: mkdtempSync(join(tmpdir(), "bulletin-elsewhere-")),
      dynamoUrl: process.env.LOCAL_DYNAMODB_URL,
    });
    try {
      const { endpoints } = elsewhere;
      const service = await startLocalService(
        readLocalConfig(
          {
            LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
            PORT: "0",
            DATA_DIR: mkdtempSync(join(tmpdir(), "bulletin-noemu-")),
            LOCAL_EMULATORS: "off",
            LOCAL_SES_EVENTS: "off",
            BULLETIN_DYNAMODB_ENDPOINT: endpoints.dynamodb,
            BULLETIN_SQS_ENDPOINT: endpoints.sqs,
            BULLETIN_SES_ENDPOINT: endpoints.ses,
          },
          [],
        ),
      );
      try {
        expect(service.stack.endpoints).toEqual({
          dynamodb: endpoints.dynamodb,
          sqs: endpoints.sqs,
          sns: endpoints.sqs,
          ses: endpoints.ses,
        });
        const api = (path: string, init: RequestInit = {}) =>
          fetch(`${service.url}${path}`, {
            ...init,
            headers: { authorization: `Bearer ${service.adminToken}`, "content-type": "application/json" },
          });
        // The seeded samples are in the other process's table.
        // Under LOCAL_EMULATORS=off the service signs as "local": its database on the shared DynamoDB Local.
        const tables = await new DynamoDBClient({
          ...awsClientConfig(elsewhere, "dynamodb"),
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
        }).send(new ListTablesCommand({}));
        expect(tables.TableNames).toContain("bulletin");
        const { items } = (await (await api("/api/issues")).json()) as { items: { id: string }[] };
        const { sendId } = (await (
          await api(`/api/issues/${items[0]!.id}/sends`, {
            method: "POST",
            body: JSON.stringify({ tiers: ["report"] }),
          })
        ).json()) as { sendId: string };
        for (let i = 0; i < 200; i++) {
          const s = (await (await api(`/api/sends/${sendId}`)).json()) as { status: string };
          if (s.status === "finished") break;
          await new Promise((r) => setTimeout(r, 100));
        }
        expect((await readSentEmails(elsewhere)).length).toBeGreaterThan(0);
      } finally {
        await service.stop();
      }
      // Stopping the service did not stop them.
      expect((await fetch(`${elsewhere.endpoints.ses}/store`)).status).toBe(200);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe("the admin token", () => {
  it("is BULLETIN_ADMIN_TOKEN when set; otherwise generated once, kept for this user only, stored only as a hash", async () => {
    const given = "a-token-chosen-by-the-operator-0123456789";
    const dir1 = mkdtempSync(join(tmpdir(), "bulletin-admin-"));
    const s1 = await startLocalService(
      readLocalConfig(
        {
          LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
          PORT: "0",
          LOCAL_SES_PORT: "0",
          DATA_DIR: dir1,
          BULLETIN_ADMIN_TOKEN: given,
        },
        [],
      ),
    );
    try {
      expect(s1.adminToken).toBe(given);
      expect((await fetch(`${s1.url}/api/issues`, { headers: { authorization: `Bearer ${given}` } })).status).toBe(200);
      expect(await s1.deps.tokens.findByHash(given)).toBeNull();
    } finally {
      await s1.stop();
    }
    const dir2 = mkdtempSync(join(tmpdir(), "bulletin-admin-"));
    const s2 = await startLocalService(
      readLocalConfig(
        { LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "", PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dir2 },
        [],
      ),
    );
    try {
      expect(s2.adminToken).toMatch(/^blt_[\w-]{43}$/);
      expect(readFileSync(join(dir2, "admin-token"), "utf8").trim()).toBe(s2.adminToken);
      expect(statSync(join(dir2, "admin-token")).mode & 0o077).toBe(0);
    } finally {
      await s2.stop();
    }
  });
});
