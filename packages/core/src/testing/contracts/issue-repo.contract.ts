import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../../errors/errors.ts";
import type { Issue } from "../../issue/issue-schema.ts";
import type { IssueRepo, StoredIssue } from "../../issue/issue-repo.ts";

// What a storage format could mangle: null, empty strings and arrays, an absent optional field, Chinese.
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
const stored = (n: number, over: Partial<StoredIssue> = {}): StoredIssue => {
  const day = String(n).padStart(2, "0");
  return {
    id: `issue-${day}`,
    label: `第${n}期`,
    format: "markdown",
    createdAt: `2025-01-${day}T09:00:00.000Z`,
    issue: ISSUE,
    ...over,
  };
};

/** The IssueRepo contract; `make` gives an empty repository. */
export function issueRepoContract(name: string, make: () => Promise<IssueRepo>) {
  describe(`${name}: the IssueRepo contract`, () => {
    it("stores and returns the Issue exactly; a second create of the id is a conflict", async () => {
      const repo = await make();
      const s = stored(1, { format: "text" });
      await repo.create(s);
      expect(await repo.get(s.id)).toEqual(s);
      expect(await repo.get("no-such-issue")).toBeNull();
      await expect(repo.create(stored(1, { label: "again" }))).rejects.toBeInstanceOf(ConflictError);
      expect((await repo.get("issue-01"))?.label).toBe("第1期");
    });

    it("lists newest first with summaries, page by page; marks ready and published, and takes them back", async () => {
      const repo = await make();
      for (const n of [5, 2, 9, 3, 7]) await repo.create(stored(n));
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await repo.list({ limit: 2, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((i) => i.id));
        cursor = page.cursor;
      } while (cursor);
      expect(ids).toEqual([9, 7, 5, 3, 2].map((n) => `issue-0${n}`));
      const [first] = (await repo.list({ limit: 1 })).items;
      // The list carries the masthead (number and title) for the issue list, not the articles.
      expect(first).toEqual({
        id: "issue-09",
        label: "第9期",
        format: "markdown",
        createdAt: "2025-01-09T09:00:00.000Z",
        articles: 3,
        masthead: { number: "2025年第9期", title: "通信行业简报" },
      });
      expect(await repo.setReady("issue-05", "2025-02-01T00:00:00.000Z")).toMatchObject({
        id: "issue-05",
        readyAt: "2025-02-01T00:00:00.000Z",
      });
      expect(await repo.setPublished("issue-05", "2025-02-02T00:00:00.000Z")).toMatchObject({
        publishedAt: "2025-02-02T00:00:00.000Z",
      });
      expect(await repo.setReady("issue-05", null)).not.toHaveProperty("readyAt");
      await expect(repo.setPublished("nope", null)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
}
