import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toSendBulkEmailInput } from "./send-bulk-email-input.ts";

// The SES emulator's own template renderer (Handlebars, as SES's simple substitution), fed exactly
// what SendBulkEmail would carry: the request's template content, default data and one entry's data.
const { compileTemplateParts, mergeTemplateData } = createRequire(import.meta.url)(
  "aws-ses-v2-local/dist/v2/renderTemplate.js",
) as {
  compileTemplateParts(
    parts: { Subject: string; Html: string; Text: string },
    options: { strict: boolean },
  ): (data: object) => { subject: string; html: string; text: string };
  mergeTemplateData(defaults: object, replacement: object): object;
};

const text = fc.string({ unit: fc.constantFrom("{", "}", "\\", "\u0000", "#", "/", ">", "!", "a", " ", "-", "&") });

describe("toSendBulkEmailInput", () => {
  it("property: whatever the text, the rendered email is exactly that text with each recipient's values in its slots", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), text, fc.string(), (literals, subject, value) => {
        const slots = literals.slice(1).map((_, i) => `v${i}`);
        const input = toSendBulkEmailInput({
          from: "bulletin@example.org",
          subject: subject.replace(/[\r\n]/g, ""),
          html: { literals, slots },
          text: { literals, slots },
          entries: [
            {
              to: "a@example.cn",
              values: Object.fromEntries(slots.map((s) => [s, value])),
              headers: [],
              tags: { send: "s" },
            },
          ],
        });
        const t = input.DefaultContent!.Template!;
        const render = compileTemplateParts(
          { Subject: t.TemplateContent!.Subject!, Html: t.TemplateContent!.Html!, Text: t.TemplateContent!.Text! },
          { strict: true },
        );
        const data = mergeTemplateData(
          JSON.parse(t.TemplateData!),
          JSON.parse(
            input.BulkEmailEntries![0]!.ReplacementEmailContent!.ReplacementTemplate!.ReplacementTemplateData!,
          ),
        );
        const out = render(data);
        const expected = literals.reduce((acc, lit, i) => acc + (i > 0 ? value : "") + lit, "");
        expect(out.text).toBe(expected);
        expect(out.html).toBe(expected);
        expect(out.subject).toBe(subject.replace(/[\r\n]/g, ""));
      }),
      { numRuns: 300 },
    );
  });

  it("carries embedded photos once, as the template's inline attachments for every destination", () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 1, 2]);
    const base = {
      from: "bulletin@example.org",
      subject: "简报",
      html: { literals: ['<img src="cid:figure-1@bulletin">'], slots: [] },
      text: { literals: ["[图片：会议现场]"], slots: [] },
    };
    const entries = ["a@example.cn", "b@example.cn"].map((to) => ({
      to,
      values: {},
      headers: [],
      tags: { send: "s" },
    }));
    const input = toSendBulkEmailInput({
      ...base,
      entries,
      attachments: [{ contentId: "figure-1@bulletin", fileName: "1.jpg", contentType: "image/jpeg", bytes: jpeg }],
    });
    expect(input.DefaultContent!.Template!.Attachments).toEqual([
      {
        RawContent: jpeg,
        ContentDisposition: "INLINE",
        ContentId: "figure-1@bulletin",
        FileName: "1.jpg",
        ContentType: "image/jpeg",
        ContentTransferEncoding: "BASE64",
      },
    ]);
    expect(toSendBulkEmailInput({ ...base, entries }).DefaultContent!.Template!.Attachments).toBeUndefined();
    expect(() =>
      toSendBulkEmailInput({
        ...base,
        entries,
        attachments: [{ contentId: "x>\r\nBcc: y", fileName: "1.jpg", contentType: "image/jpeg", bytes: jpeg }],
      }),
    ).toThrow(/inline picture/);
  });

  it("carries each entry's own headers and tags, and refuses more than 50 destinations or a subject with a line break", () => {
    const entry = (i: number) => ({
      to: `r${i}@example.cn`,
      values: {},
      headers: [{ name: "List-Unsubscribe", value: `<https://x.org/u/${i}>` }],
      tags: { recipient: `r${i}` },
    });
    const input = toSendBulkEmailInput({
      from: "b@example.org",
      subject: "S",
      html: { literals: ["h"], slots: [] },
      text: { literals: ["t"], slots: [] },
      configurationSet: "bulletin",
      entries: [entry(1), entry(2)],
    });
    expect(input.ConfigurationSetName).toBe("bulletin");
    expect(
      input.BulkEmailEntries!.map((e) => [e.Destination!.ToAddresses, e.ReplacementHeaders, e.ReplacementTags]),
    ).toEqual([
      [
        ["r1@example.cn"],
        [{ Name: "List-Unsubscribe", Value: "<https://x.org/u/1>" }],
        [{ Name: "recipient", Value: "r1" }],
      ],
      [
        ["r2@example.cn"],
        [{ Name: "List-Unsubscribe", Value: "<https://x.org/u/2>" }],
        [{ Name: "recipient", Value: "r2" }],
      ],
    ]);
    expect(() =>
      toSendBulkEmailInput({
        from: "b@example.org",
        subject: "S",
        html: { literals: ["h"], slots: [] },
        text: { literals: ["t"], slots: [] },
        entries: Array.from({ length: 51 }, (_, i) => entry(i)),
      }),
    ).toThrow(/1 to 50/);
    expect(() =>
      toSendBulkEmailInput({
        from: "b@example.org",
        subject: "S\r\nBcc: x",
        html: { literals: ["h"], slots: [] },
        text: { literals: ["t"], slots: [] },
        entries: [entry(1)],
      }),
    ).toThrow(/CR or LF/);
  });
});
