import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { BulletinError, type FileStore, inlineDisposition, RetryableError } from "@bulletin/core";

/**
 * The FileStore on an S3 bucket (private; SST's "Files" bucket on AWS). Uploads and downloads of
 * large files go straight between the browser and S3 by presigned URLs: a Lambda takes and answers
 * at most 6 MB. The upload URL signs the exact content length and type, so S3 itself refuses a body
 * other than the one asked for.
 *
 * @example
 * const files = new S3FileStore(new S3Client({}), Resource.Files.name);
 */
export class S3FileStore implements FileStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.call(key, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType })),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    const out = await this.call(
      key,
      () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
      true,
    );
    return out?.Body ? await out.Body.transformToByteArray() : null;
  }

  async size(key: string): Promise<number | null> {
    const out = await this.call(
      key,
      () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })),
      true,
    );
    return out?.ContentLength ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.call(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })));
  }

  async uploadUrl(
    key: string,
    opts: { contentType: string; size: number; expiresInSeconds: number },
  ): Promise<{ url: string; headers: Record<string, string> }> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: opts.contentType,
      ContentLength: opts.size,
    });
    // Content-Type and Content-Length are signed headers: S3 refuses a PUT whose body differs.
    const url = await getSignedUrl(this.client, command, {
      expiresIn: opts.expiresInSeconds,
      signableHeaders: new Set(["content-type", "content-length"]),
    });
    return { url, headers: { "Content-Type": opts.contentType } };
  }

  async downloadUrl(key: string, opts: { fileName: string; expiresInSeconds: number }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentType: "application/pdf",
      ResponseContentDisposition: inlineDisposition(opts.fileName),
    });
    return getSignedUrl(this.client, command, { expiresIn: opts.expiresInSeconds });
  }

  /** One SDK call, its errors translated once: a missing object is null where `missingIsNull`. */
  private async call<T>(key: string, send: () => Promise<T>, missingIsNull = false): Promise<T | null> {
    try {
      return await send();
    } catch (err) {
      const e = (err ?? {}) as {
        name?: string;
        message?: string;
        $fault?: string;
        $metadata?: { httpStatusCode?: number };
      };
      const status = e.$metadata?.httpStatusCode;
      if (missingIsNull && (e.name === "NoSuchKey" || e.name === "NotFound" || status === 404)) return null;
      if (
        e.$fault === "server" ||
        (status !== undefined && status >= 500) ||
        e.name === "SlowDown" ||
        e.name === "TimeoutError"
      ) {
        throw new RetryableError("files.retryable", `S3 is busy or unreachable, try again later (${e.name})`, {
          cause: err,
        });
      }
      throw new BulletinError("files.failed", `S3 ${e.name ?? "error"} on ${key}: ${e.message ?? String(err)}`, {
        cause: err,
      });
    }
  }
}
