import { ConflictError, InvalidInputError, type Issue, type StoredIssue } from "@bulletin/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "./test-table.test-support.ts";
import { DynamoIssueRepo } from "./issue-repo.ts";

let t: TestTable;
let repo: DynamoIssueRepo;

beforeAll(async () => {
  t = await startTestTable();
  repo = new DynamoIssueRepo({ client: t.client, tableName: t.tableName });
});
afterAll(() => t?.close());

// Exercises what a DynamoDB map would mangle or need rules for: null, empty strings and arrays,
// an absent optional field, and Chinese text.
const ISSUE: Issue = {
  masthead: { title: "通信行业简报", number: "2025年第9期" },
  sections: [
    { name: null, articles: [{ title: "", authors: [], paragraphs: ["开篇"] }] },
    {
      name: "行业动态",
      articles: [
        { kicker: "以数字化为主题", title: "初见雄安", authors: ["张俊清", "王丽"], paragraphs: ["第一段", ""] },
        { title: "第二篇", subtitle: "副标题", authors: [], paragraphs: [] },
      ],
    },
  ],
  distribution: { report: ["工业和信息化部"], distribute: [], copy: ["各省通信管理局"] },
};

function stored(n: number, over: Partial<StoredIssue> = {}): StoredIssue {
  const day = String(n).padStart(2, "0");
  return {
    id: `issue-${day}`,
    label: `第${n}期`,
    format: "markdown",
    createdAt: `2025-01-${day}T09:00:00.000Z`,
    issue: ISSUE,
    ...over,
  };
}

describe("DynamoIssueRepo", () => {
  it("stores and returns the Issue exactly", async () => {
    const s = stored(1, { format: "text" });
    await repo.create(s);
    const got = await repo.get(s.id);
    expect(got).toEqual(s);
    expect(JSON.stringify(got?.issue)).toBe(JSON.stringify(ISSUE));
    expect(await repo.get("no-such-issue")).toBeNull();
  });

  it("refuses a second create with the same id with ConflictError", async () => {
    await expect(repo.create(stored(1, { label: "again" }))).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get("issue-01"))?.label).toBe("第1期");
  });

  it("refuses an issue too large for one item with InvalidInputError", async () => {
    const huge: Issue = {
      ...ISSUE,
      sections: [{ name: "长", articles: [{ title: "t", authors: [], paragraphs: ["字".repeat(130_000)] }] }],
    };
    await expect(repo.create(stored(28, { id: "huge", issue: huge }))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("lists newest first with summaries, following the cursor without duplicates", async () => {
    // Created out of order: the listing sorts by createdAt, not by insertion.
    for (const n of [5, 2, 9, 3, 7, 4, 8, 6]) await repo.create(stored(n));
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await repo.list({ limit: 4, cursor });
      ids.push(...page.items.map((i) => i.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(ids).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1].map((n) => `issue-0${n}`));
    const [first] = (await repo.list({ limit: 1 })).items;
    expect(first).toEqual({
      id: "issue-09",
      label: "第9期",
      format: "markdown",
      createdAt: "2025-01-09T09:00:00.000Z",
      articles: 3,
      masthead: ISSUE.masthead,
    });
    expect(first).not.toHaveProperty("issue");
  });

  it("refuses a cursor from another listing", async () => {
    await expect(
      repo.list({ cursor: Buffer.from('{"t":"gsi2","k":{}}').toString("base64url") }),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("changes the masthead in the Issue JSON and the list, and refuses a change made on a stale read", async () => {
    const stored: StoredIssue = {
      id: "mast-1",
      label: "通信行业简报 2025年第9期",
      format: "json",
      createdAt: "2025-10-01T00:00:00.000Z",
      issue: ISSUE,
    };
    await repo.create(stored);
    const summary = await repo.setMasthead(
      "mast-1",
      ISSUE,
      { title: "山西通信", number: "2026年第1期", date: "2026年1月30日" },
      "山西通信 2026年第1期",
    );
    expect(summary).toMatchObject({
      label: "山西通信 2026年第1期",
      masthead: { title: "山西通信", number: "2026年第1期", date: "2026年1月30日" },
    });
    const now = (await repo.get("mast-1"))!;
    expect(now.issue).toEqual({
      ...ISSUE,
      masthead: { title: "山西通信", number: "2026年第1期", date: "2026年1月30日" },
    });
    expect((await repo.list({ limit: 100 })).items.find((i) => i.id === "mast-1")?.masthead).toEqual(
      now.issue.masthead,
    );
    await expect(repo.setMasthead("mast-1", ISSUE, { number: "x" }, "x")).rejects.toBeInstanceOf(ConflictError);
    const cleared = await repo.setMasthead("mast-1", now.issue, undefined, "（无标题）");
    expect(cleared.masthead).toBeUndefined();
    expect((await repo.get("mast-1"))!.issue.masthead).toBeUndefined();
  });

  it("replaces the sections (a figure removed), keeping the masthead, and refuses a change made on a stale read", async () => {
    const figure = { src: "images/1.jpg", alt: "会议现场", afterParagraph: -1, width: 1200, height: 800 };
    const withFigure = {
      ...ISSUE,
      masthead: { title: "山西通信" },
      sections: ISSUE.sections.map((s, i) =>
        i === 0 ? { ...s, articles: s.articles.map((a, j) => (j === 0 ? { ...a, figures: [figure] } : a)) } : s,
      ),
    };
    await repo.create({
      id: "fig-1",
      label: "山西通信",
      format: "pdf",
      createdAt: "2025-10-02T00:00:00.000Z",
      issue: withFigure,
    });
    const without = withFigure.sections.map((s) => ({ ...s, articles: s.articles.map(({ figures: _f, ...a }) => a) }));
    const summary = await repo.setSections("fig-1", withFigure, without);
    expect(summary).toMatchObject({ id: "fig-1", label: "山西通信", masthead: { title: "山西通信" } });
    expect((await repo.get("fig-1"))!.issue).toEqual({ ...withFigure, sections: without });
    await expect(repo.setSections("fig-1", withFigure, without)).rejects.toBeInstanceOf(ConflictError);
  });
});
