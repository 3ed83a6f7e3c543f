import { Parser } from "htmlparser2";

/** What the pre-send checks read from an email's HTML: every URL it points at, and its pictures. */
export interface EmailHtmlScan {
  /** Each href, src and background value, in document order, as written (entities decoded). */
  urls: string[];
  /**
   * Each <img>: its src and alt (null when the attribute is missing), and whether it says it is
   * decoration (role="presentation" or aria-hidden="true"), which needs no words.
   */
  images: { src: string; alt: string | null; decorative: boolean }[];
}

// The attributes an email's links and pictures live in (background: MJML's section images).
const URL_ATTRIBUTES = ["href", "src", "background"];

/**
 * Reads an email's HTML with a real HTML parser (htmlparser2: entities, comments and Outlook's
 * conditional comments as a mail client sees them), not with patterns over the text.
 *
 * @example
 * scanEmailHtml('<a href="https://x/">x</a><img src="cid:a" alt="">').images; // [{ src: "cid:a", alt: "", decorative: false }]
 */
export function scanEmailHtml(html: string): EmailHtmlScan {
  const scan: EmailHtmlScan = { urls: [], images: [] };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        for (const a of URL_ATTRIBUTES) if (attributes[a] !== undefined) scan.urls.push(attributes[a]);
        if (name === "img")
          scan.images.push({
            src: attributes.src ?? "",
            alt: attributes.alt ?? null,
            decorative: attributes.role === "presentation" || attributes["aria-hidden"] === "true",
          });
      },
    },
    { decodeEntities: true, lowerCaseAttributeNames: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return scan;
}
