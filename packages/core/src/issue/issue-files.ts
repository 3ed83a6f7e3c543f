import { OWN_IMAGE_SRC } from "./issue-schema.ts";

/**
 * Where files kept with issues live: the bulletin's original PDF, and uploads on their way in. A
 * directory under DATA_DIR locally, an S3 bucket on AWS; keys are paths ("issues/<id>/original.pdf").
 */
export interface FileStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The file's bytes, or null when there is none. */
  get(key: string): Promise<Uint8Array | null>;
  /** The file's size in bytes, or null when there is none. */
  size(key: string): Promise<number | null>;
  delete(key: string): Promise<void>;
  /**
   * Where a client can PUT a file of exactly `size` bytes itself, for files too large for a request to
   * the API (a Lambda takes at most 6 MB): a presigned URL, valid for `expiresInSeconds`.
   */
  uploadUrl(
    key: string,
    opts: { contentType: string; size: number; expiresInSeconds: number },
  ): Promise<{ url: string; headers: Record<string, string> }>;
  /**
   * Where a client can GET the file itself (a presigned URL), when the app should not stream it
   * (a Lambda answers at most 6 MB); undefined when the app serves it.
   */
  downloadUrl?(key: string, opts: { fileName: string; expiresInSeconds: number }): Promise<string>;
}

/** The key of an issue's original PDF. */
export const originalPdfKey = (issueId: string) => `issues/${issueId}/original.pdf`;

/**
 * The key of one of an issue's own images, from its src as the figures name it (images/<n>.jpg),
 * beside the original PDF; null for a src that is not one.
 *
 * @example
 * issueImageKey("i1", "images/2.jpg"); // "issues/i1/images/2.jpg"
 */
export function issueImageKey(issueId: string, src: string): string | null {
  return OWN_IMAGE_SRC.test(src) ? `issues/${issueId}/${src}` : null;
}

/** The key of an upload, named by the server (never by the client). */
export const uploadKey = (uploadId: string) => `uploads/${uploadId}.pdf`;

/**
 * A Content-Disposition that shows the file in the browser under its name: an ASCII fallback, then
 * the UTF-8 name percent-encoded (RFC 6266, RFC 8187), so no quote or line break of a label can reach
 * the header.
 *
 * @example
 * inlineDisposition("山西通信 2026年第1期.pdf"); // 'inline; filename="bulletin.pdf"; filename*=UTF-8\'\'%E5%B1%B1…'
 */
export function inlineDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="bulletin.pdf"; filename*=UTF-8''${encoded}`;
}
