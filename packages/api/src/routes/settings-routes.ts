import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  type AssociationSettings,
  AssociationSettingsSchema,
  currentSettings,
  InvalidInputError,
} from "@bulletin/core";
import type { ApiDeps } from "../api-deps.ts";
import { type AuthEnv, requireRole } from "../auth/require-role.ts";
import { authErrors, json } from "./responses.ts";

const SettingsOut = z
  .object({ settings: AssociationSettingsSchema, updatedAt: z.string().optional(), updatedBy: z.string().optional() })
  .openapi("AssociationSettingsStored");

/**
 * Saves the association's settings (PUT /api/settings and the 设置 page): validated by the
 * RenderSettings schema (less the per-issue masthead), stored whole, and the renderer's cache
 * dropped so the next preview or send uses them.
 *
 * @example
 * await saveSettings(deps, { bulletinName: "山西通信", sender: "山西省通信行业协会秘书处" }, "王丽");
 */
export async function saveSettings(
  deps: Pick<ApiDeps, "settings" | "renderer" | "clock">,
  input: unknown,
  by: string,
): Promise<AssociationSettings> {
  const parsed = AssociationSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first?.path.join(".") ?? "";
    throw new InvalidInputError(
      "settings.invalid",
      `${field ? `${field}: ` : ""}${first?.message ?? "invalid settings"}`,
      { details: { field } },
    );
  }
  await deps.settings.put({ settings: parsed.data, updatedAt: deps.clock.now().toISOString(), updatedBy: by });
  deps.renderer.forget?.();
  return parsed.data;
}

/**
 * /api/settings: the association's settings (the bulletin's name, the sender's name on the From line,
 * reply-to, each tier's wording, subject prefix and note, the subject template, the logo and the
 * footer). Every role reads them; an admin writes them.
 */
export function settingsRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>();
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/settings",
      operationId: "getSettings",
      tags: ["settings"],
      summary: "The association's settings in force (the defaults until an admin saves some)",
      security: [{ Bearer: [] }],
      middleware: [requireRole(deps.tokens, "viewer")] as const,
      responses: { 200: json(SettingsOut, "The settings, with who saved them and when"), ...authErrors },
    }),
    async (c) => {
      const stored = await deps.settings.get();
      return c.json(stored ?? { settings: await currentSettings(deps.settings) }, 200);
    },
  );
  app.openapi(
    createRoute({
      method: "put",
      path: "/api/settings",
      operationId: "replaceSettings",
      tags: ["settings"],
      summary:
        "Replace the association's settings (fields left out take their defaults); previews and sends use them from then on",
      security: [{ Bearer: [] }],
      middleware: [requireRole(deps.tokens, "admin")] as const,
      request: { body: { required: true, content: { "application/json": { schema: AssociationSettingsSchema } } } },
      responses: { 200: json(SettingsOut, "The settings as saved"), ...authErrors },
    }),
    async (c) => {
      const token = c.get("token");
      const settings = await saveSettings(deps, c.req.valid("json"), token.label);
      return c.json(
        {
          settings,
          ...(await deps.settings.get().then((s) => (s ? { updatedAt: s.updatedAt, updatedBy: s.updatedBy } : {}))),
        },
        200,
      );
    },
  );
  return app;
}
