import { describe, expect, it } from "vitest";
import { InvalidInputError, NotFoundError } from "../errors/errors.ts";
import { InMemoryFileStore } from "../testing/in-memory-file-store.ts";
import { InMemoryIssueRepo } from "../testing/in-memory-issue-repo.ts";
import { editFigure } from "./edit-figures.ts";
import { type Issue, IssueSchema } from "./issue-schema.ts";
import { storeImportedIssue } from "./store-issue.ts";

const photo = {
  src: "images/1.jpg",
  alt: "会议现场",
  caption: "会议现场",
  afterParagraph: 0,
  width: 1200,
  height: 800,
};
const issue: Issue = {
  sections: [
    {
      name: "协会消息",
      articles: [
        {
          title: "甲",
          authors: [],
          paragraphs: ["一。", "二。"],
          figures: [photo, { ...photo, src: "images/2.jpg", alt: "合影", caption: "合影", afterParagraph: 1 }],
        },
      ],
    },
    {
      name: "会员动态",
      articles: [
        {
          title: "乙",
          authors: [],
          paragraphs: ["三。"],
          figures: [{ src: "https://example.org/a.jpg", alt: "远处的图", afterParagraph: -1, width: 600, height: 400 }],
        },
      ],
    },
  ],
  distribution: { report: [], distribute: [], copy: [] },
};
const clock = { now: () => new Date("2026-01-26T00:00:00Z") };
const jpeg = new Uint8Array([0xff, 0xd8, 0xff]);

describe("the Issue JSON's figures", () => {
  it("take an https URL or one of the issue's own images, after a paragraph the article has", () => {
    expect(IssueSchema.parse(issue)).toEqual(issue);
    const withFigure = (f: object) => ({
      ...issue,
      sections: [
        { name: null, articles: [{ title: "甲", authors: [], paragraphs: ["一。"], figures: [{ ...photo, ...f }] }] },
      ],
    });
    for (const bad of [
      { src: "http://example.org/a.jpg" },
      { src: "javascript:alert(1)" },
      { src: "../images/1.jpg" },
      { src: "images/1.png" },
      { src: 'https://example.org/a".jpg' },
      { afterParagraph: 1 },
      { afterParagraph: -2 },
      { width: 0 },
      { alt: "一\n二" },
    ]) {
      expect(IssueSchema.safeParse(withFigure(bad)).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe("storing an issue with figures", () => {
  it("keeps the pictures beside the original PDF before the issue", async () => {
    const issues = new InMemoryIssueRepo();
    const files = new InMemoryFileStore();
    const stored = await storeImportedIssue(
      {
        issue,
        format: "pdf",
        images: [
          { src: "images/1.jpg", jpeg, width: 1200, height: 800 },
          { src: "images/2.jpg", jpeg, width: 1200, height: 800 },
        ],
      },
      { issues, files, clock, newId: () => "i1" },
      new Uint8Array([0x25, 0x50]),
    );
    expect([...files.files.keys()].sort()).toEqual([
      "issues/i1/images/1.jpg",
      "issues/i1/images/2.jpg",
      "issues/i1/original.pdf",
    ]);
    expect(files.files.get("issues/i1/images/1.jpg")?.contentType).toBe("image/jpeg");
    expect((await issues.get(stored.id))?.issue).toEqual(issue);
  });

  it("refuses a figure naming an own image the import did not bring, and stores nothing", async () => {
    const issues = new InMemoryIssueRepo();
    const files = new InMemoryFileStore();
    const err = await storeImportedIssue({ issue, format: "json" }, { issues, files, clock, newId: () => "i2" }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe("issue.figure-src");
    expect(files.files.size).toBe(0);
    expect(await issues.get("i2")).toBeNull();
  });

  it("deletes the pictures again when the issue cannot be stored", async () => {
    const issues = new InMemoryIssueRepo();
    const files = new InMemoryFileStore();
    issues.create = () => Promise.reject(new Error("table unavailable"));
    await expect(
      storeImportedIssue(
        {
          issue,
          format: "pdf",
          images: [
            { src: "images/1.jpg", jpeg, width: 1, height: 1 },
            { src: "images/2.jpg", jpeg, width: 1, height: 1 },
          ],
        },
        { issues, files, clock, newId: () => "i3" },
        new Uint8Array([1]),
      ),
    ).rejects.toThrow("table unavailable");
    expect(files.files.size).toBe(0);
  });
});

describe("the clerk edits a figure", () => {
  const stored = () =>
    new InMemoryIssueRepo([
      { id: "i1", label: "甲", format: "pdf", createdAt: "2026-01-26T00:00:00.000Z", issue: structuredClone(issue) },
    ]);

  it("changes the alt text and caption, or removes the caption", async () => {
    const issues = stored();
    await editFigure("i1", { article: 1, figure: 1 }, { alt: " 全体合影 ", caption: "" }, { issues });
    expect((await issues.get("i1"))!.issue.sections[0]!.articles[0]!.figures).toEqual([
      photo,
      { src: "images/2.jpg", alt: "全体合影", afterParagraph: 1, width: 1200, height: 800 },
    ]);
  });

  it("removes a figure, and the field with the article's last one", async () => {
    const issues = stored();
    await editFigure("i1", { article: 2, figure: 0 }, { remove: true }, { issues });
    await editFigure("i1", { article: 1, figure: 0 }, { remove: true }, { issues });
    const now = (await issues.get("i1"))!.issue;
    expect(now.sections[1]!.articles[0]).toEqual({ title: "乙", authors: [], paragraphs: ["三。"] });
    expect(now.sections[0]!.articles[0]!.figures?.map((f) => f.src)).toEqual(["images/2.jpg"]);
  });

  it("refuses an empty alt text, a line break, or a figure that is not there", async () => {
    const issues = stored();
    await expect(editFigure("i1", { article: 1, figure: 0 }, { alt: "  " }, { issues })).rejects.toMatchObject({
      code: "figure.invalid",
    });
    await expect(
      editFigure("i1", { article: 1, figure: 0 }, { caption: "一\r\n二" }, { issues }),
    ).rejects.toMatchObject({ code: "figure.invalid" });
    await expect(editFigure("i1", { article: 3, figure: 0 }, { remove: true }, { issues })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect((await issues.get("i1"))!.issue).toEqual(issue);
  });
});

describe("figures in Markdown", () => {
  it('are written in place as ![alt](src "caption"){width height} and read back to the same issue', async () => {
    const { issueToMarkdown } = await import("./markdown-export.ts");
    const { parseMarkdownIssue } = await import("./import/markdown-import.ts");
    const tricky: Issue = {
      ...issue,
      sections: [
        {
          name: null,
          articles: [
            {
              title: "丙",
              authors: [],
              paragraphs: ["一。"],
              figures: [
                { src: "images/3.jpg", alt: 'a]b"c\\d', caption: '说"明]', afterParagraph: 0, width: 10, height: 20 },
              ],
            },
          ],
        },
        ...issue.sections,
      ],
    };
    const md = issueToMarkdown(tricky);
    expect(md).toContain('\n\n一。\n\n![a\\]b\\"c\\\\d](images/3.jpg "说\\"明\\]"){width=10 height=20}\n\n');
    expect(md).toContain(
      '## 甲\n\n一。\n\n![会议现场](images/1.jpg "会议现场"){width=1200 height=800}\n\n二。\n\n![合影](images/2.jpg "合影"){width=1200 height=800}',
    );
    expect(md).toContain("## 乙\n\n![远处的图](https://example.org/a.jpg){width=600 height=400}\n\n三。");
    expect(parseMarkdownIssue(md).issue).toEqual(tricky);
  });

  it("refuses a picture without its size, before any article, or with a src that is neither https nor the issue's own", async () => {
    const { parseMarkdownIssue } = await import("./import/markdown-import.ts");
    expect(() => parseMarkdownIssue("## 甲\n\n![图](images/1.jpg)\n")).toThrow(/line 3: give the picture's size/);
    expect(() => parseMarkdownIssue("![图](images/1.jpg){width=1 height=1}\n")).toThrow(
      /line 1: a picture before any ## title/,
    );
    expect(() => parseMarkdownIssue("## 甲\n\n![图](http://example.org/a.jpg){width=1 height=1}\n")).toThrow(
      /line 3: picture: src/,
    );
    // A paragraph that only looks like one is kept as text, escaped on the way out.
    expect(
      parseMarkdownIssue("## 甲\n\n\\![图](images/1.jpg){width=1 height=1}\n").issue.sections[0]!.articles[0]!
        .paragraphs,
    ).toEqual(["![图](images/1.jpg){width=1 height=1}"]);
  });
});
