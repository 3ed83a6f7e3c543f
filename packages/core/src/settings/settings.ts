import type { Issue, Tier } from "../issue/issue-schema.ts";
import {
  type AssociationSettings,
  AssociationSettingsSchema,
  RenderSettingsSchema,
  type RenderSettings,
} from "../render/render-settings.ts";
import type { PreparedEmail, PrepareOptions, Renderer } from "../render/renderer-port.ts";
import type { Clock } from "../clock.ts";

/** The association's settings as stored, with who saved them last and when. */
export interface StoredSettings {
  settings: AssociationSettings;
  updatedAt: string;
  updatedBy: string;
}

/** Where the association's settings are kept (one item); null until someone saves them. */
export interface SettingsRepo {
  get(): Promise<StoredSettings | null>;
  put(stored: StoredSettings): Promise<void>;
}

/** What applies until the association saves its own settings: the schema's default wording, name and sender. */
export const DEFAULT_ASSOCIATION_SETTINGS: AssociationSettings = AssociationSettingsSchema.parse({});

/**
 * The settings in force: the stored ones, else the defaults.
 *
 * @example
 * (await currentSettings(settingsRepo)).sender; // "山西省通信行业协会秘书处"
 */
export async function currentSettings(repo: SettingsRepo): Promise<AssociationSettings> {
  return (await repo.get())?.settings ?? DEFAULT_ASSOCIATION_SETTINGS;
}

/** How long a renderer keeps the settings it read: a send's batches then read the table once per window. */
const SETTINGS_TTL_MS = 5_000;

/**
 * A Renderer that renders with the association's stored settings, whatever they are when it is
 * asked: previews and sends pick up a change within a few seconds (at once in the process that
 * saved it, through `forget`). It reads the settings at most once per window and builds one
 * renderer per distinct settings, so a send's batches cost no extra compile.
 *
 * @example
 * const renderer = settingsRenderer(stores.settings, (s) => new MjmlRenderer(s), clock);
 * await renderer.prepare(issue, "report"); // subject, From name and footer from the 设置 page
 */
export function settingsRenderer(
  repo: SettingsRepo,
  make: (settings: RenderSettings) => Renderer,
  clock: Clock,
): Renderer & { forget(): void } {
  let cached: { at: number; key: string; renderer: Renderer } | undefined;
  const current = async (): Promise<Renderer> => {
    const now = clock.now().getTime();
    if (cached && now - cached.at < SETTINGS_TTL_MS) return cached.renderer;
    const settings = RenderSettingsSchema.parse(await currentSettings(repo));
    const key = JSON.stringify(settings);
    cached = { at: now, key, renderer: cached?.key === key ? cached.renderer : make(settings) };
    return cached.renderer;
  };
  return {
    prepare: async (issue: Issue, tier: Tier, opts?: PrepareOptions): Promise<PreparedEmail> =>
      (await current()).prepare(issue, tier, opts),
    forget: () => {
      cached = undefined;
    },
  };
}
