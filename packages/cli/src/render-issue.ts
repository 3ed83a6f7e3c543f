import { type Issue, InvalidInputError, type RenderedEmail, RenderSettingsSchema, type Tier } from "@bulletin/core";
import { MjmlRenderer } from "@bulletin/mjml";
import type { CliConfig } from "./cli-config.ts";
import { readJsonFile } from "./load-issue.ts";

/**
 * The renderer with the settings file the user named, if any, validated field by field.
 *
 * @example
 * const renderer = rendererFor("settings.json");
 */
export function rendererFor(settingsFile: string | undefined): MjmlRenderer {
  if (settingsFile === undefined) return new MjmlRenderer();
  const parsed = RenderSettingsSchema.safeParse(readJsonFile(settingsFile));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first?.path.join(".") ?? "";
    throw new InvalidInputError(
      "settings.invalid",
      `${settingsFile}: ${path ? `${path}: ` : ""}${first?.message ?? "invalid settings"}`,
    );
  }
  return new MjmlRenderer(parsed.data);
}

/**
 * Renders one tier for a sample recipient of that tier — what `render` writes and `preview` shows.
 * Links point at PUBLIC_URL; the unsubscribe link is a placeholder until the service signs real ones.
 */
export async function renderSample(
  renderer: MjmlRenderer,
  issue: Issue,
  tier: Tier,
  config: CliConfig,
): Promise<{ email: RenderedEmail; shortened: boolean }> {
  const prepared = await renderer.prepare(issue, tier);
  const organization = issue.distribution[tier][0];
  const email = prepared.personalise(
    { email: "recipient@example.com", name: "示例收件人", ...(organization ? { organization } : {}) },
    { viewOnlineUrl: `${config.publicUrl}/issues/preview`, unsubscribeUrl: `${config.publicUrl}/unsubscribe/preview` },
  );
  return { email, shortened: prepared.shortened };
}
