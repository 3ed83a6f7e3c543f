import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3FileStore } from "./s3-file-store.ts";

// Against fauxqs's S3: the real wire protocol, the same SDK calls as on AWS.
let emulator: FauxqsServer;
let client: S3Client;
let files: S3FileStore;
beforeAll(async () => {
  emulator = await startFauxqs({ port: 0, logger: false });
  client = new S3Client({
    endpoint: `http://127.0.0.1:${emulator.port}`,
    forcePathStyle: true,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  await client.send(new CreateBucketCommand({ Bucket: "files" }));
  files = new S3FileStore(client, "files");
});
afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

const pdf = new TextEncoder().encode("%PDF-1.7\n山西通信\n%%EOF\n");

describe("S3FileStore", () => {
  it("keeps a file: its bytes and size come back, and a deleted or missing key is null", async () => {
    await files.put("issues/a/original.pdf", pdf, "application/pdf");
    expect(await files.get("issues/a/original.pdf")).toEqual(pdf);
    expect(await files.size("issues/a/original.pdf")).toBe(pdf.length);
    await files.delete("issues/a/original.pdf");
    expect(await files.get("issues/a/original.pdf")).toBeNull();
    expect(await files.size("issues/never")).toBeNull();
  });

  it("signs an upload URL for that size and type, which a client PUTs the file to", async () => {
    const { url, headers } = await files.uploadUrl("uploads/u1.pdf", {
      contentType: "application/pdf",
      size: pdf.length,
      expiresInSeconds: 60,
    });
    const signed = new URL(url).searchParams.get("X-Amz-SignedHeaders") ?? "";
    expect(signed.split(";")).toEqual(expect.arrayContaining(["content-length", "content-type", "host"]));
    expect(Number(new URL(url).searchParams.get("X-Amz-Expires"))).toBe(60);
    const put = await fetch(url, { method: "PUT", headers, body: pdf });
    expect(put.status).toBe(200);
    expect(await files.get("uploads/u1.pdf")).toEqual(pdf);
  });

  it("signs a download URL that serves the file", async () => {
    await files.put("issues/b/original.pdf", pdf, "application/pdf");
    const url = await files.downloadUrl("issues/b/original.pdf", {
      fileName: "山西通信 2026年第1期.pdf",
      expiresInSeconds: 60,
    });
    expect(new URL(url).searchParams.get("response-content-disposition")).toContain("filename*=UTF-8''%E5%B1%B1");
    const got = await fetch(url);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
  });
});
