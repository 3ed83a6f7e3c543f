import type { Issue } from "@bulletin/core";
import type { ExpectedOutline } from "./outline-type.ts";

/** The parsed issue in the shape of the hand-written outline. */
export function outlineOf(issue: Issue): ExpectedOutline {
  return {
    sections: issue.sections.map((s) => ({
      name: s.name,
      articles: s.articles.map((a) => ({
        ...(a.kicker !== undefined ? { kicker: a.kicker } : {}),
        title: a.title,
        ...(a.subtitle !== undefined ? { subtitle: a.subtitle } : {}),
        authors: a.authors,
        paragraphStarts: a.paragraphs.map((p) => [...p].slice(0, 8).join("")),
        lastParagraphEnd: [...(a.paragraphs.at(-1) ?? "")].slice(-8).join(""),
      })),
    })),
    distribution: issue.distribution,
  };
}
