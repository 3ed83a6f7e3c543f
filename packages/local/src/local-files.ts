import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { BulletinError, type FileStore, InvalidInputError, MAX_PDF_BYTES } from "@bulletin/core";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";

/** Keys are paths the service makes ("issues/<id>/original.pdf"): never "..", never absolute. */
const KEY = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)*$/;
/** Where the local stand-in for a presigned PUT URL points. */
const UPLOAD_PATH = "/local-upload/";

/**
 * The FileStore of the local stack: files under DATA_DIR/files, so they survive a restart like the
 * table does. Uploads work as on AWS, in two steps: `uploadUrl` signs a PUT URL (HMAC, with the size
 * and an expiry) served by `uploadRoutes`, the local stand-in for S3's presigned URLs.
 *
 * @example
 * const files = new LocalFileStore(join(dataDir, "files"), { publicUrl, key: uploadKey });
 */
export class LocalFileStore implements FileStore {
  constructor(
    private readonly dir: string,
    private readonly signing: { publicUrl: string; key: string; now?: () => number },
  ) {}

  async put(key: string, bytes: Uint8Array, _contentType: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    // Written aside and renamed: a crash never leaves half a file under the key.
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await readFile(this.path(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new BulletinError("files.unreadable", `cannot read ${key}: ${(e as Error).message}`, { cause: e });
    }
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new BulletinError("files.unreadable", `cannot read ${key}: ${(e as Error).message}`, { cause: e });
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }

  async uploadUrl(
    key: string,
    opts: { contentType: string; size: number; expiresInSeconds: number },
  ): Promise<{ url: string; headers: Record<string, string> }> {
    this.path(key);
    const expires = Math.floor(this.now() / 1000) + opts.expiresInSeconds;
    const query = new URLSearchParams({ size: String(opts.size), type: opts.contentType, expires: String(expires) });
    query.set("sig", this.sign(key, query));
    return {
      url: `${this.signing.publicUrl}${UPLOAD_PATH}${key}?${query}`,
      headers: { "Content-Type": opts.contentType },
    };
  }

  /**
   * The route that takes the PUTs `uploadUrl` signed: the signature, the expiry, the content type and
   * the exact size are checked before the file is kept. Answers as S3 does: 200, or 403 and 400.
   */
  uploadRoutes(): Hono {
    const app = new Hono();
    app.put(
      `${UPLOAD_PATH}*`,
      bodyLimit({
        maxSize: MAX_PDF_BYTES,
        onError: (c) => c.json({ error: "too-large", message: "the file is too large" }, 413, { Connection: "close" }),
      }),
      async (c) => {
        const key = decodeURIComponent(c.req.path.slice(UPLOAD_PATH.length));
        const query = new URL(c.req.url).searchParams;
        const sig = query.get("sig") ?? "";
        query.delete("sig");
        const expected = KEY.test(key) ? this.sign(key, query) : "";
        if (!expected || sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
          return c.json({ error: "forbidden", message: "the upload URL is not valid" }, 403);
        }
        if (Number(query.get("expires")) * 1000 < this.now())
          return c.json({ error: "expired", message: "the upload URL has expired" }, 403);
        if ((c.req.header("content-type") ?? "").split(";")[0] !== query.get("type")) {
          return c.json({ error: "invalid-request", message: `the upload must be sent as ${query.get("type")}` }, 400);
        }
        const bytes = new Uint8Array(await c.req.arrayBuffer());
        if (bytes.length !== Number(query.get("size"))) {
          return c.json(
            {
              error: "invalid-request",
              message: `the upload was signed for ${query.get("size")} bytes, not ${bytes.length}`,
            },
            400,
          );
        }
        await this.put(key, bytes, query.get("type")!);
        return c.body(null, 200);
      },
    );
    return app;
  }

  private sign(key: string, query: URLSearchParams): string {
    const fields = [key, query.get("size"), query.get("type"), query.get("expires")].join("\n");
    return createHmac("sha256", this.signing.key).update(fields).digest("base64url");
  }

  private now(): number {
    return this.signing.now?.() ?? Date.now();
  }

  private path(key: string): string {
    const root = resolve(this.dir);
    const path = resolve(join(root, key));
    if (!KEY.test(key) || !path.startsWith(root + sep))
      throw new InvalidInputError("files.key", `not a file key: ${key}`);
    return path;
  }
}
