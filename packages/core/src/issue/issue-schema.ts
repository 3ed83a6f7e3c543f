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

/** An issue's own stored image, relative to its web version: /archive/<id>/images/<n>.jpg. */
export const OWN_IMAGE_SRC = /^images\/[1-9]\d{0,3}\.jpg$/;

/** Alt text and captions are one line each: they go into an attribute and under the picture. */
const FIGURE_TEXT = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;

/**
 * A photo in an article. `src` is an https URL, or one of the issue's own stored images
 * (`images/<n>.jpg`, served beside its web version). `afterParagraph` is the index of the paragraph
 * it follows, -1 before the first. `width` and `height` are the picture's pixels.
 */
export const FigureSchema = z
  .object({
    src: z
      .string()
      .max(2000)
      .refine((s) => OWN_IMAGE_SRC.test(s) || isHttpsUrl(s), {
        message: "src must be an https URL or one of the issue's own images (images/<n>.jpg)",
      }),
    alt: z.string().max(200).regex(FIGURE_TEXT, "no line breaks or control characters"),
    caption: z.string().max(200).regex(FIGURE_TEXT, "no line breaks or control characters").optional(),
    afterParagraph: z.number().int().min(-1),
    width: z.number().int().positive().max(20_000),
    height: z.number().int().positive().max(20_000),
  })
  .strict();

function isHttpsUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === "https:" && u.hostname !== "" && !/[\s"'<>\\]/.test(s);
  } catch {
    return false;
  }
}

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
    /** Photos, each after the paragraph it follows; absent when the article has none. */
    figures: z.array(FigureSchema).optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    a.figures?.forEach((f, i) => {
      if (f.afterParagraph >= a.paragraphs.length) {
        ctx.addIssue({
          code: "custom",
          path: ["figures", i, "afterParagraph"],
          message: `there are only ${a.paragraphs.length} paragraphs: afterParagraph goes from -1 to ${a.paragraphs.length - 1}`,
        });
      }
    });
  });

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
export type Figure = z.infer<typeof FigureSchema>;
export type Section = z.infer<typeof SectionSchema>;
export type Distribution = z.infer<typeof DistributionSchema>;
export type Issue = z.infer<typeof IssueSchema>;

/** The three recipient tiers, in rank order (an address in two tiers gets the first). */
export const TIERS = ["report", "distribute", "copy"] as const;
export type Tier = (typeof TIERS)[number];

/** The character the printed footer uses for each tier. */
export const TIER_LABELS: Record<Tier, string> = { report: "报", distribute: "发", copy: "送" };
