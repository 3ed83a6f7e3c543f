import { z } from "zod";
import type { Tier } from "../issue/issue-schema.ts";

/**
 * How the bulletin email reads: its name, sender, and the wording of each tier. Defaults follow the
 * printed bulletin; a deployment overrides any of it (a settings file, later the admin UI).
 *
 * @example
 * const settings = RenderSettingsSchema.parse({ tiers: { report: { note: "请各位领导审阅。" } } });
 * settings.tiers.report.label; // "报送"
 */
const TierWordingSchema = z
  .object({
    /** How the footer names this tier's relationship: 报送 / 发 / 抄送. */
    label: z.string().min(1).max(20),
    /** Put before the subject, e.g. "【报送】"; may be "". */
    subjectPrefix: z.string().max(40),
    /** An extra note shown to this tier only, above the contents (e.g. a cover note for regulators). */
    note: z.string().max(2000).optional(),
  })
  .strict();

const tierDefaults: Record<Tier, z.infer<typeof TierWordingSchema>> = {
  report: { label: "报送", subjectPrefix: "【报送】" },
  distribute: { label: "发", subjectPrefix: "" },
  copy: { label: "抄送", subjectPrefix: "【抄送】" },
};

export const RenderSettingsSchema = z
  .object({
    /** The bulletin's name when the masthead has none. */
    bulletinName: z.string().min(1).max(60).default("通信行业简报"),
    /** Overrides the parsed masthead, field by field. */
    masthead: z.object({ title: z.string(), number: z.string(), date: z.string() }).partial().strict().default({}),
    /** Who sends it, as shown in the footer. */
    sender: z.string().min(1).max(100).default("山西省通信行业协会秘书处"),
    /** A logo over the masthead; optional, always with alt text. */
    logo: z.object({ url: z.url({ protocol: /^https?$/ }), alt: z.string().min(1).max(100) }).strict().optional(),
    tiers: z
      .object({
        report: TierWordingSchema.partial().default({}),
        distribute: TierWordingSchema.partial().default({}),
        copy: TierWordingSchema.partial().default({}),
      })
      .strict()
      .default({ report: {}, distribute: {}, copy: {} })
      .transform((t) => ({
        report: { ...tierDefaults.report, ...t.report },
        distribute: { ...tierDefaults.distribute, ...t.distribute },
        copy: { ...tierDefaults.copy, ...t.copy },
      })),
  })
  .strict();

export type RenderSettings = z.output<typeof RenderSettingsSchema>;
export type RenderSettingsInput = z.input<typeof RenderSettingsSchema>;

/** The defaults, for callers with nothing to override. */
export const DEFAULT_RENDER_SETTINGS: RenderSettings = RenderSettingsSchema.parse({});
