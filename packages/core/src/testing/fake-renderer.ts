import { TIER_LABELS, type Issue, type Tier } from "../issue/issue-schema.ts";
import type {
  EmailRecipient,
  PreparedEmail,
  RecipientLinks,
  RenderedEmail,
  Renderer,
  TemplateText,
} from "../render/renderer-port.ts";

const HTML: TemplateText = {
  literals: ["<p>", '</p><a href="', '">web</a><a href="', '">unsubscribe</a>'],
  slots: ["who", "viewOnlineUrl", "unsubscribeUrl"],
};
const TEXT: TemplateText = { literals: ["", "\n", "\n", ""], slots: ["who", "viewOnlineUrl", "unsubscribeUrl"] };

function slotValues(recipient: EmailRecipient, links: RecipientLinks): Record<string, string> {
  return {
    who: recipient.name || recipient.email,
    viewOnlineUrl: links.viewOnlineUrl,
    unsubscribeUrl: links.unsubscribeUrl,
  };
}

/**
 * A template part with its slots filled in: what a mail service makes of it for one recipient.
 *
 * @example
 * fillTemplate({ literals: ["Hi ", "!"], slots: ["name"] }, { name: "Ann" }); // "Hi Ann!"
 */
export function fillTemplate(part: TemplateText, values: Record<string, string>): string {
  let out = part.literals[0] ?? "";
  for (const [i, slot] of part.slots.entries()) out += (values[slot] ?? "") + (part.literals[i + 1] ?? "");
  return out;
}
const fill = fillTemplate;

/**
 * A Renderer with plain-text templates, counting `prepare` calls per tier (to check that a sender
 * prepares once per tier, never per recipient). The subject is the masthead title and the tier's
 * character: "山西通信 · 报".
 *
 * @example
 * const prepared = await new FakeRenderer().prepare(issue, "report");
 * prepared.personalise({ email: "a@example.cn", name: "张三" }, links).text; // "张三 …"
 */
export class FakeRenderer implements Renderer {
  readonly prepared: Record<Tier, number> = { report: 0, distribute: 0, copy: 0 };

  async prepare(issue: Issue, tier: Tier): Promise<PreparedEmail> {
    this.prepared[tier]++;
    const subject = `${issue.masthead?.title ?? "简报"} · ${TIER_LABELS[tier]}`;
    return {
      tier,
      shortened: false,
      personalise(recipient: EmailRecipient, links: RecipientLinks): RenderedEmail {
        const values = slotValues(recipient, links);
        return { subject, html: fill(HTML, values), text: fill(TEXT, values) };
      },
      template: () => ({ subject, html: HTML, text: TEXT }),
      slotValues,
      async webVersion(viewOnlineUrl: string): Promise<string> {
        return `<p>${subject}</p><a href="${viewOnlineUrl}">web</a>`;
      },
    };
  }
}
