import { type Issue, RenderSettingsSchema } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { GMAIL_CLIP_BYTES, MjmlRenderer } from "./index.ts";

// Photos in the email: where they stand, how large, with their alt text and caption, linked by the
// web version's URL or embedded; the text part names them.
const recipient = { email: "a@example.org", name: "张三" };
const links = { unsubscribeUrl: "https://news.example.org/u/t", viewOnlineUrl: "https://news.example.org/archive/i1" };
const issue: Issue = {
  sections: [
    {
      name: "协会消息",
      articles: [
        {
          title: "召开会员大会",
          authors: [],
          paragraphs: ["第一段。", "第二段。"],
          figures: [
            {
              src: "images/1.jpg",
              alt: "会场<全景>",
              caption: "会议现场 & 合影",
              afterParagraph: 0,
              width: 1200,
              height: 800,
            },
            {
              src: "https://cdn.example.org/p.jpg?a=1&b=2",
              alt: "远端图片",
              afterParagraph: -1,
              width: 300,
              height: 200,
            },
          ],
        },
      ],
    },
  ],
  distribution: { report: [], distribute: [], copy: [] },
};
const imgs = (html: string) => [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
/** HTML entities decoded, as a browser reads text and attribute values. */
const decode = (s: string) =>
  s
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
const attr = (tag: string, name: string) => decode(new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1] ?? "");

describe("photos in the email", () => {
  it("stand where the issue places them, linked by the web version's URL, at most the column's width, never upscaled", async () => {
    const email = (await new MjmlRenderer().prepare(issue, "copy")).personalise(recipient, links);
    const body = email.html.slice(email.html.indexOf('id="a1"'));
    const text = decode(body.replace(/<img [^>]*alt="([^"]*)"[^>]*>/g, "[$1]").replace(/<[^>]+>/g, ""));
    const order = ["[远端图片]", "第一段。", "[会场<全景>]", "会议现场 & 合影", "第二段。"].map((s) => text.indexOf(s));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const [remote, own] = imgs(body);
    expect(attr(own!, "src")).toBe("https://news.example.org/archive/i1/images/1.jpg");
    expect([attr(own!, "width"), attr(own!, "height")]).toEqual(["552", "368"]);
    expect(own).toContain("width:100%;max-width:552px;height:auto");
    expect(attr(remote!, "src")).toBe("https://cdn.example.org/p.jpg?a=1&b=2");
    expect([attr(remote!, "width"), attr(remote!, "height")]).toEqual(["300", "200"]);
    expect(email.attachments).toBeUndefined();
    expect(Buffer.byteLength(email.html)).toBeLessThan(GMAIL_CLIP_BYTES);
  });

  it("are named in the text part where they stand: [图片：caption], or the alt text", async () => {
    const { text } = (await new MjmlRenderer().prepare(issue, "copy")).personalise(recipient, links);
    const lines = text.split("\n").filter((l) => l.trim());
    const at = lines.lastIndexOf("1. 召开会员大会");
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "[图片：远端图片]",
      "　　第一段。",
      "[图片：会议现场 & 合影]",
      "　　第二段。",
    ]);
  });

  it("are embedded as inline attachments when the settings say so and the pictures are there; the web version still links them", async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const asked: string[] = [];
    const renderer = new MjmlRenderer(RenderSettingsSchema.parse({ images: "inline" }));
    const prepared = await renderer.prepare(issue, "copy", {
      images: async (src) => {
        asked.push(src);
        return jpeg;
      },
    });
    const email = prepared.personalise(recipient, links);
    expect(asked).toEqual(["images/1.jpg"]);
    expect(email.attachments).toEqual([
      { contentId: "figure-1@bulletin", fileName: "1.jpg", contentType: "image/jpeg", bytes: jpeg },
    ]);
    const [remote, own] = imgs(email.html);
    expect(attr(own!, "src")).toBe("cid:figure-1@bulletin");
    expect(attr(remote!, "src")).toContain("https://cdn.example.org/");
    // Without the loader (previews, the web version), the same settings link them.
    const linked = (await renderer.prepare(issue, "copy")).personalise(recipient, links);
    expect(attr(imgs(linked.html)[1]!, "src")).toBe("https://news.example.org/archive/i1/images/1.jpg");
    expect(linked.attachments).toBeUndefined();
  });

  it("counts the embedded pictures in the email's weight, in base64", async () => {
    const jpeg = new Uint8Array(300_000);
    const renderer = new MjmlRenderer(RenderSettingsSchema.parse({ images: "inline" }));
    const inline = await renderer.prepare(issue, "copy", { images: async () => jpeg });
    const linked = await renderer.prepare(issue, "copy");
    // 300,000 bytes are 400,000 in base64; the HTML differs only in the picture's address.
    expect(Math.abs(inline.emailBytes! - linked.emailBytes! - 400_000)).toBeLessThan(200);
  });
});
