import type { z } from "@hono/zod-openapi";
import { ErrorSchema } from "../schemas.ts";

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
