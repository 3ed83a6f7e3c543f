import type { OpenAPIHono, z } from "@hono/zod-openapi";
import { NotFoundError } from "@bulletin/core";
import { ErrorSchema } from "../schemas/index.ts";

/**
 * A JSON response for a route's `responses`.
 *
 * @example
 * responses: { 200: json(RecipientOut, "The recipient"), ...authErrors }
 */
export function json<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** The errors every authenticated route can answer with. */
export const authErrors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No valid token"),
  403: json(ErrorSchema, "The token's role may not"),
};

export const notFound = (what: string) => ({ 404: json(ErrorSchema, `No such ${what}`) });

/**
 * The value, or a NotFoundError with the case's own code: routes throw it and the one mapper
 * (http-errors.ts) answers 404 `{error: code, message}`, as core's use-cases do for what they look up.
 *
 * @example
 * const stored = found(await deps.issues.get(id), "issue.not-found", `no issue ${id}`);
 */
export function found<T>(value: T | null | undefined, code: `${string}.not-found`, message: string): T {
  if (value === null || value === undefined) throw new NotFoundError(code, message);
  return value;
}

/**
 * A registered schema, by reference: the document describes a body with it, but the route does not
 * validate against it. For bodies core parses itself, reporting each bad item (the SES events of an
 * export), where a validator here would refuse the whole body, or its content type.
 *
 * @example
 * content: { "application/json": { schema: documentedOnly(app, "SesEventBatch", SesEventBatchSchema) } }
 */
export function documentedOnly(
  app: { openAPIRegistry: Pick<OpenAPIHono["openAPIRegistry"], "register"> },
  name: string,
  schema: z.ZodType,
) {
  app.openAPIRegistry.register(name, schema);
  return { $ref: `#/components/schemas/${name}` };
}
