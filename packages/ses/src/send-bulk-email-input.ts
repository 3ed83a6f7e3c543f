import type { BulkEmail, TemplateText } from "@bulletin/core";
import { InvalidInputError } from "@bulletin/core";
import type { SendBulkEmailCommandInput } from "@aws-sdk/client-sesv2";
import { toEmailTags } from "./message-tags.ts";
import { replyToAddresses, toAttachment, toHeader } from "./send-email-input.ts";

/**
 * The variables that stand for the characters template syntax is made of. The template engine
 * (Handlebars-like "simple substitution") only ever opens a tag at `{{`, `\{{` escapes one, and
 * `}}}` right after a tag closes it the wrong way; so a character of the email's own text is written
 * as one of these variables whenever its neighbours could make it syntax: a `{` or `\` before
 * another `{`, a `\`, a NUL or the end of the text (a slot `{{…}}` follows), and a `}` right after
 * a tag (a slot or one of these variables). Every NUL too, which the engine takes for the end of
 * its input. A lone `{` or `}` (CSS, prose) stays as it is. So no text of the issue, nor the markup
 * around it, can ever open a tag, close one, or escape one: `{{#each}}` in an article reaches the
 * mailbox as the ten characters it is. Slots are the only tags.
 */
const LITERALS: Record<string, string> = { "{": "b_l", "}": "b_r", "\\": "b_s", "\u0000": "b_z" };
const LITERAL_DATA = Object.fromEntries(Object.entries(LITERALS).map(([char, name]) => [name, char]));

/**
 * Text as SES template content: syntax characters become variables, slots become `{{s_<name>}}`.
 *
 * @example
 * templateSource({ literals: ["a{{b}} {x} ", "}!"], slots: ["name"] }); // "a{{b_l}}{b}} {x} {{s_name}}{{b_r}}!"
 */
export function templateSource(part: TemplateText | string): string {
  const { literals, slots } = typeof part === "string" ? { literals: [part], slots: [] } : part;
  let out = escapeLiteral(literals[0] ?? "", false);
  slots.forEach((slot, i) => {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(slot))
      throw new InvalidInputError("ses.template-slot", `slot name ${JSON.stringify(slot)} must be letters and digits`);
    out += `{{s_${slot}}}${escapeLiteral(literals[i + 1] ?? "", true)}`;
  });
  return out;
}

/** One literal; `afterTag` when a slot comes right before it. */
function escapeLiteral(text: string, afterTag: boolean): string {
  let out = "";
  let tagBefore = afterTag;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const next = text[i + 1];
    const risky =
      c === "\u0000" ||
      ((c === "{" || c === "\\") && (next === undefined || next === "{" || next === "\\" || next === "\u0000")) ||
      (c === "}" && tagBefore);
    out += risky ? `{{${LITERALS[c]}}}` : c;
    tagBefore = risky;
  }
  return out;
}

/**
 * The SendBulkEmail request for up to 50 recipients of one (issue, tier): the email as inline
 * template content (Content.Template.TemplateContent: no stored template to create or delete), and
 * per entry its slot values (ReplacementTemplateData), its List-Unsubscribe headers
 * (ReplacementHeaders) and its tags (ReplacementTags); embedded photos go once, as the template's
 * inline attachments. Headers and tags are checked as for
 * SendEmail (no CR/LF, nothing SES would refuse); so is the subject.
 *
 * @example
 * const input = toSendBulkEmailInput({ from, subject, html, text, entries: [{ to, values, headers, tags }] });
 * await client.send(new SendBulkEmailCommand(input));
 */
export function toSendBulkEmailInput(email: BulkEmail): SendBulkEmailCommandInput {
  if (/[\r\n]/.test(email.subject) || /[\r\n]/.test(email.from))
    throw new InvalidInputError("ses.header-injection", "the subject and From must not contain CR or LF");
  if (email.entries.length === 0 || email.entries.length > 50)
    throw new InvalidInputError("ses.bulk-size", `a bulk call takes 1 to 50 destinations, not ${email.entries.length}`);
  const input: SendBulkEmailCommandInput = {
    FromEmailAddress: email.from,
    DefaultContent: {
      Template: {
        TemplateContent: {
          Subject: templateSource(email.subject),
          Html: templateSource(email.html),
          Text: templateSource(email.text),
        },
        TemplateData: JSON.stringify(LITERAL_DATA),
        // Embedded photos: the same pictures for every destination, as SES sends a template's attachments.
        ...(email.attachments?.length ? { Attachments: email.attachments.map(toAttachment) } : {}),
      },
    },
    BulkEmailEntries: email.entries.map((e) => ({
      Destination: { ToAddresses: [e.to] },
      ReplacementEmailContent: {
        ReplacementTemplate: {
          // The literal characters again, so an entry never depends on how the defaults are merged.
          ReplacementTemplateData: JSON.stringify({
            ...LITERAL_DATA,
            ...Object.fromEntries(Object.entries(e.values).map(([k, v]) => [`s_${k}`, v])),
          }),
        },
      },
      ReplacementHeaders: e.headers.map(toHeader),
      ReplacementTags: toEmailTags(e.tags),
    })),
  };
  if (email.replyTo !== undefined) input.ReplyToAddresses = replyToAddresses(email.replyTo);
  if (email.configurationSet !== undefined) input.ConfigurationSetName = email.configurationSet;
  return input;
}
