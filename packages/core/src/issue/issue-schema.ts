import { z } from "zod";

/**
 * The Issue model: one bulletin issue as structured data.
 *
 * This JSON shape is a contract: the renderer, the web archive, the send pipeline and outside tools
 * read it. Add fields only with care; never rename or repurpose one.
 *
 * Tiers follow the printed footer: report = 报 (regulators), distribute = 发 (council and member
 * companies), copy = 送 (other associations and related units).
 *
 * @example
 * const issue = IssueSchema.parse(JSON.parse(text));
 * issue.sections[0]?.articles[0]?.title; // "初见雄安"
 */
export const MastheadSchema = z
  .object({
    title: z.string().optional(),
    number: z.string().optional(),
    date: z.string().optional(),
  })
  .strict();

export const ArticleSchema = z
  .object({
    /** The line printed above the headline: an organisation, or a theme ("以…为主题"). */
    kicker: z.string().optional(),
    /** The headline. Empty only when the importer found paragraphs with no heading above them. */
    title: z.string(),
    /** A second headline or a subheading printed below the headline. */
    subtitle: z.string().optional(),
    /** Bylines such as （张俊清 王丽） become ["张俊清", "王丽"]; no byline → []. */
    authors: z.array(z.string().min(1)),
    /** Body paragraphs, each one string with the PDF's line wraps removed. */
    paragraphs: z.array(z.string()),
  })
  .strict();

export const SectionSchema = z
  .object({
    /** The section name without its 【】; null for text before the first section header. */
    name: z.string().min(1).nullable(),
    articles: z.array(ArticleSchema),
  })
  .strict();

export const DistributionSchema = z
  .object({
    /** 报: organisations the issue is reported to. */
    report: z.array(z.string().min(1)),
    /** 发: organisations the issue is issued to. */
    distribute: z.array(z.string().min(1)),
    /** 送: organisations the issue is copied to. */
    copy: z.array(z.string().min(1)),
  })
  .strict();

export const IssueSchema = z
  .object({
    masthead: MastheadSchema.optional(),
    sections: z.array(SectionSchema),
    distribution: DistributionSchema,
  })
  .strict();

export type Masthead = z.infer<typeof MastheadSchema>;
export type Article = z.infer<typeof ArticleSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Distribution = z.infer<typeof DistributionSchema>;
export type Issue = z.infer<typeof IssueSchema>;

/** The three recipient tiers, in rank order (an address in two tiers gets the first). */
export const TIERS = ["report", "distribute", "copy"] as const;
export type Tier = (typeof TIERS)[number];

/** The character the printed footer uses for each tier. */
export const TIER_LABELS: Record<Tier, string> = { report: "报", distribute: "发", copy: "送" };
