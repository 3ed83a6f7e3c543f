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
/**
 * Text that ends up in a header (From, Subject) or on one line: no control characters or line
 * breaks (a CR/LF would start another header), nor U+FFFD (text already garbled). The ranges are
 * spelled out without the u flag: the OpenAPI document prints a u-flagged pattern with "/u" appended.
 */
const ONE_LINE = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\ufffd]*$/;
const oneLine = (max: number) => z.string().trim().max(max).regex(ONE_LINE, "no control characters or line breaks");
/** Text shown as paragraphs (a note, the footer): line breaks allowed, other control characters not. */
const MULTI_LINE = /^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufffd]*$/;
const paragraphs = (max: number) => z.string().trim().max(max).regex(MULTI_LINE, "no control characters");

/** The placeholders of the subject template. */
export const SUBJECT_PLACEHOLDERS = ["前缀", "刊名", "期号", "日期"] as const;
export type SubjectPlaceholder = (typeof SUBJECT_PLACEHOLDERS)[number];

/** Default: the tier's prefix, the bulletin's name and the issue number, e.g. 【报送】山西通信 2026年第1期. */
export const DEFAULT_SUBJECT_TEMPLATE = "{前缀}{刊名} {期号}";

/**
 * The subject of an email from the template: each {前缀} {刊名} {期号} {日期} replaced, a value that is
 * missing (an issue without a date) left out, with the brackets around it and the spaces it leaves.
 *
 * @example
 * subjectFromTemplate("{前缀}{刊名} {期号}", { 前缀: "【报送】", 刊名: "山西通信", 期号: "2026年第1期" }); // "【报送】山西通信 2026年第1期"
 * subjectFromTemplate("{前缀}{刊名} {期号}", { 前缀: "", 刊名: "山西通信" }); // "山西通信"
 */
export function subjectFromTemplate(template: string, values: Partial<Record<SubjectPlaceholder, string>>): string {
  const filled = template
    .replace(/[（(【[]\s*\{([^{}]*)\}\s*[）)】\]]/g, (whole, name: string) =>
      values[name as SubjectPlaceholder] ? whole : "",
    )
    .replace(/\{([^{}]*)\}/g, (_, name: string) => values[name as SubjectPlaceholder] ?? "");
  return filled
    .replace(/[\p{Cc}\u2028\u2029]+/gu, " ")
    .replace(/[ \u3000]{2,}/g, " ")
    .trim();
}

const SubjectTemplateSchema = oneLine(200)
  .min(1)
  .refine(
    (t) => [...t.matchAll(/\{([^{}]*)\}/g)].every((m) => (SUBJECT_PLACEHOLDERS as readonly string[]).includes(m[1]!)),
    {
      message: `unknown placeholder; use ${SUBJECT_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`,
    },
  )
  .refine((t) => /\{刊名\}|\{期号\}/.test(t), {
    message: "the subject must name the bulletin or the issue: use {刊名} or {期号}",
  });

const TierWordingSchema = z
  .object({
    /** How the footer names this tier's relationship: 报送 / 发 / 抄送. */
    label: oneLine(20).min(1),
    /** Put before the subject, e.g. "【报送】"; may be "", or end in a space ("[抄送] "), kept as typed. */
    subjectPrefix: z.string().max(40).regex(ONE_LINE, "no control characters or line breaks"),
    /** An extra note shown to this tier only, above the contents (e.g. a cover note for regulators). */
    note: paragraphs(2000).optional(),
  })
  .strict();

const tierDefaults: Record<Tier, z.infer<typeof TierWordingSchema>> = {
  report: { label: "报送", subjectPrefix: "【报送】" },
  distribute: { label: "发", subjectPrefix: "" },
  copy: { label: "抄送", subjectPrefix: "【抄送】" },
};

export const RenderSettingsSchema = z
  .object({
    /** The bulletin's name when the issue's masthead has none. */
    bulletinName: oneLine(60).min(1).default("通信行业简报"),
    /** Overrides the parsed masthead, field by field (a render of one issue; stored settings have none). */
    masthead: z.object({ title: z.string(), number: z.string(), date: z.string() }).partial().strict().default({}),
    /** Who sends it: the display name of the From header, and the sender in the footer. */
    sender: oneLine(100).min(1).default("山西省通信行业协会秘书处"),
    /** Where replies go (the Reply-To header); absent: to the From address. */
    replyTo: z.email().max(254).optional(),
    /** The subject of every email: {前缀} (the tier's), {刊名}, {期号}, {日期}. */
    subjectTemplate: SubjectTemplateSchema.default(DEFAULT_SUBJECT_TEMPLATE),
    /** Text at the foot of every email, under the sender (an address, a telephone number). */
    footer: paragraphs(500).optional(),
    /**
     * The photos of an issue in its email: linked by URL (the web version's pictures; the email
     * stays small), or embedded as inline attachments (cid:) for mailboxes that block remote pictures.
     */
    images: z.enum(["linked", "inline"]).default("linked"),
    /** A logo over the masthead; optional, always with alt text. */
    logo: z
      .object({ url: z.url({ protocol: /^https?$/ }).max(500), alt: oneLine(100).min(1) })
      .strict()
      .optional(),
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

/**
 * The association's settings as stored and edited (GET/PUT /api/settings, the 设置 page): the
 * RenderSettings, without the masthead override, which belongs to one issue (PATCH /api/issues/:id).
 */
export const AssociationSettingsSchema = RenderSettingsSchema.omit({ masthead: true });
export type AssociationSettings = z.output<typeof AssociationSettingsSchema>;
export type AssociationSettingsInput = z.input<typeof AssociationSettingsSchema>;
