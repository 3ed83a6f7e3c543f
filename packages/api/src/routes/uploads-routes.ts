import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import {
  ImportError,
  importIssueFile,
  type ImportResult,
  InvalidInputError,
  MAX_PDF_BYTES,
  pdfTooLarge,
  uploadKey,
} from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { requireRole } from "../auth/require-role.ts";
import { ErrorSchema, UploadRequestSchema, UploadTicketSchema } from "../schemas/index.ts";
import { authErrors, json } from "./responses.ts";

/** How long an upload URL stays valid: long enough for a slow line and a large PDF. */
const UPLOAD_SECONDS = 15 * 60;
const UPLOAD_KEY = /^uploads\/[A-Za-z0-9-]{8,64}\.pdf$/;

/**
 * POST /api/uploads: where to PUT a PDF too large for a request body (a Lambda takes at most 6 MB).
 * The answer is a presigned URL for exactly that many bytes; `POST /api/issues {"upload": key}` then
 * imports it, checking its size again, and keeps it as the issue's original.
 */
export function uploadsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono();
  const secretariat = requireRole(deps.tokens, "secretariat");
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/uploads",
      operationId: "createUpload",
      tags: ["issues"],
      summary:
        'Where to upload a bulletin PDF directly (a presigned PUT URL), to import it with POST /api/issues {"upload": key}',
      security: [{ Bearer: [] }],
      middleware: [secretariat] as const,
      request: { body: { required: true, content: { "application/json": { schema: UploadRequestSchema } } } },
      responses: {
        201: json(UploadTicketSchema, "PUT the file to url with these headers"),
        ...authErrors,
        413: json(ErrorSchema, "The PDF is over 30 MB"),
      },
    }),
    async (c) => c.json(await uploadTicket(c.req.valid("json").size, deps), 201),
  );
  return app;
}

/**
 * Where to PUT a PDF of `size` bytes: a key the service names and a URL signed for that size, the
 * API's and the dashboard's alike. A size that is not a whole number of bytes (the dashboard's form
 * field is text; the API's schema has refused it already), InvalidInputError; over the limit,
 * TooLargeError.
 */
export async function uploadTicket(size: number, deps: Pick<ApiDeps, "files" | "clock" | "newId">) {
  if (!Number.isInteger(size) || size < 1)
    throw new InvalidInputError("upload.size-invalid", "size must be the PDF's size in bytes, a whole number from 1");
  if (size > MAX_PDF_BYTES) throw pdfTooLarge(size);
  const key = uploadKey(deps.newId());
  const { url, headers } = await deps.files.uploadUrl(key, {
    contentType: "application/pdf",
    size,
    expiresInSeconds: UPLOAD_SECONDS,
  });
  const expiresAt = new Date(deps.clock.now().getTime() + UPLOAD_SECONDS * 1000).toISOString();
  return { key, url, method: "PUT" as const, headers, expiresAt, maxSize: MAX_PDF_BYTES };
}

/** The upload a JSON body names, when it is `{"upload": key}` and nothing else; else it is Issue JSON. */
export function uploadOf(body: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).join() === "upload") {
      const key = (value as { upload: unknown }).upload;
      if (typeof key === "string") return key;
      throw new ImportError("upload.invalid", "upload must be the key POST /api/uploads gave");
    }
  } catch (e) {
    if (e instanceof ImportError) throw e;
  }
  return undefined;
}

/**
 * Imports an uploaded PDF: its size checked again (the client chose what it sent), then read as any
 * PDF. A PDF that cannot be imported is deleted with its error: nothing is left half-stored.
 */
export async function importUpload(
  key: string,
  deps: ApiDeps,
): Promise<{ result: ImportResult; original: Uint8Array }> {
  if (!UPLOAD_KEY.test(key)) throw new ImportError("upload.invalid", "upload must be the key POST /api/uploads gave");
  const size = await deps.files.size(key);
  if (size === null)
    throw new ImportError(
      "upload.not-found",
      "no such upload: it was never made, has expired, or was imported already — upload the PDF again",
    );
  try {
    if (size > MAX_PDF_BYTES) throw pdfTooLarge(size);
    const bytes = await deps.files.get(key);
    if (!bytes) throw new ImportError("upload.not-found", "no such upload: upload the PDF again");
    return { result: await importIssueFile(bytes, { format: "pdf" }, deps), original: bytes };
  } catch (e) {
    await deps.files.delete(key).catch(() => {});
    throw e;
  }
}
