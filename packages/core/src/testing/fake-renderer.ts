import { TIER_LABELS, type Issue, type Tier } from "../issue/issue-schema.ts";
import type { EmailRecipient, PreparedEmail, RecipientLinks, RenderedEmail, Renderer } from "../render/renderer-port.ts";

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
        const who = recipient.name || recipient.email;
        return {
          subject,
          html: `<p>${who}</p><a href="${links.viewOnlineUrl}">web</a><a href="${links.unsubscribeUrl}">unsubscribe</a>`,
          text: `${who}\n${links.viewOnlineUrl}\n${links.unsubscribeUrl}`,
        };
      },
      webVersion(viewOnlineUrl: string): string {
        return `<p>${subject}</p><a href="${viewOnlineUrl}">web</a>`;
      },
    };
  }
}
