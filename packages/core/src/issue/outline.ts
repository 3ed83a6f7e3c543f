import type { Issue } from "./issue-schema.ts";

/** The shape of an issue at a glance: what a clerk checks after an import. */
export interface IssueOutline {
  sections: {
    name: string | null;
    articles: {
      kicker?: string;
      title: string;
      subtitle?: string;
      authors: string[];
      paragraphs: number;
      figures?: number;
    }[];
  }[];
  distribution: { report: number; distribute: number; copy: number };
}

/**
 * The outline of an issue: sections, headlines, authors, paragraph and photo counts, and how many
 * organisations each tier names.
 *
 * @example
 * outlineOf(issue).sections[1]?.articles[0]?.paragraphs; // 8
 */
export function outlineOf(issue: Issue): IssueOutline {
  return {
    sections: issue.sections.map((s) => ({
      name: s.name,
      articles: s.articles.map((a) => ({
        ...(a.kicker ? { kicker: a.kicker } : {}),
        title: a.title,
        ...(a.subtitle ? { subtitle: a.subtitle } : {}),
        authors: a.authors,
        paragraphs: a.paragraphs.length,
        ...(a.figures?.length ? { figures: a.figures.length } : {}),
      })),
    })),
    distribution: {
      report: issue.distribution.report.length,
      distribute: issue.distribution.distribute.length,
      copy: issue.distribution.copy.length,
    },
  };
}
