import { ConflictError, NotFoundError } from "../errors/errors.ts";
import type { Issue, Masthead } from "../issue/issue-schema.ts";
import type { IssueRepo, IssueSummary, StoredIssue } from "../issue/issue-repo.ts";
import type { Page, PageQuery } from "../paging.ts";
import { pageAfter } from "./paging.ts";

/**
 * An IssueRepo in a Map, newest first, with deep copies in and out.
 *
 * @example
 * const issues = new InMemoryIssueRepo([{ id: "i1", label: "第5期", format: "json", createdAt, issue }]);
 */
export class InMemoryIssueRepo implements IssueRepo {
  private readonly byId = new Map<string, StoredIssue>();

  constructor(initial: Iterable<StoredIssue> = []) {
    for (const i of initial) this.byId.set(i.id, structuredClone(i));
  }

  async create(issue: StoredIssue): Promise<void> {
    if (this.byId.has(issue.id)) throw new ConflictError("issue.exists", `issue ${issue.id} already exists`);
    this.byId.set(issue.id, structuredClone(issue));
  }

  async get(id: string): Promise<StoredIssue | null> {
    const found = this.byId.get(id);
    return found ? structuredClone(found) : null;
  }

  async list(query: PageQuery = {}): Promise<Page<IssueSummary>> {
    const key = (i: StoredIssue) => `${i.createdAt}\u0000${i.id}`;
    const sorted = [...this.byId.values()].sort((a, b) => (key(a) < key(b) ? 1 : -1));
    const page = pageAfter(sorted, key, query, true);
    return {
      ...page,
      items: page.items.map(summaryOf),
    };
  }

  async setReady(id: string, readyAt: string | null): Promise<IssueSummary> {
    return this.setTime(id, "readyAt", readyAt);
  }

  async setPublished(id: string, publishedAt: string | null): Promise<IssueSummary> {
    return this.setTime(id, "publishedAt", publishedAt);
  }

  async setSections(id: string, expected: Issue, sections: Issue["sections"]): Promise<IssueSummary> {
    const found = this.expect(id, expected);
    found.issue = { ...found.issue, sections: structuredClone(sections) };
    return summaryOf(structuredClone(found));
  }

  private expect(id: string, expected: Issue): StoredIssue {
    const found = this.byId.get(id);
    if (!found) throw new NotFoundError("issue.not-found", `no issue ${id}`);
    if (JSON.stringify(found.issue) !== JSON.stringify(expected))
      throw new ConflictError("issue.changed", `issue ${id} changed meanwhile`);
    return found;
  }

  async setMasthead(id: string, expected: Issue, masthead: Masthead | undefined, label: string): Promise<IssueSummary> {
    const found = this.expect(id, expected);
    if (masthead === undefined) delete found.issue.masthead;
    else
      found.issue = {
        masthead: structuredClone(masthead),
        sections: found.issue.sections,
        distribution: found.issue.distribution,
      };
    found.label = label;
    return summaryOf(structuredClone(found));
  }

  private setTime(id: string, field: "readyAt" | "publishedAt", at: string | null): IssueSummary {
    const found = this.byId.get(id);
    if (!found) throw new NotFoundError("issue.not-found", `no issue ${id}`);
    if (at === null) delete found[field];
    else found[field] = at;
    return summaryOf(structuredClone(found));
  }
}

function summaryOf({ issue, ...rest }: StoredIssue): IssueSummary {
  return {
    ...rest,
    articles: issue.sections.reduce((n, s) => n + s.articles.length, 0),
    ...(issue.masthead ? { masthead: issue.masthead } : {}),
  };
}
