import type { Page, PageQuery } from "../paging.ts";
import type { ImportFormat } from "./import/import-result.ts";
import type { Issue, Masthead } from "./issue-schema.ts";

/** An issue as stored: the Issue plus what the service knows about it. */
export interface StoredIssue {
  id: string;
  /** Headline of the list: masthead title/number, or the first article's title. */
  label: string;
  format: ImportFormat;
  createdAt: string;
  /** When the secretariat marked it ready for the monthly send; absent when not ready. */
  readyAt?: string;
  /** When it was published on the public web archive (/archive); absent while not public. */
  publishedAt?: string;
  /** The PDF it was imported from, kept with it (FileStore, originalPdfKey); absent for text. */
  original?: { size: number };
  issue: Issue;
}
export type IssueSummary = Omit<StoredIssue, "issue"> & {
  articles: number;
  /** The issue's masthead (name, number, date), for the list; absent on issues stored before it was kept. */
  masthead?: Masthead;
};

/** Stored issues, newest first. */
export interface IssueRepo {
  create(issue: StoredIssue): Promise<void>;
  get(id: string): Promise<StoredIssue | null>;
  list(query?: PageQuery): Promise<Page<IssueSummary>>;
  /** Marks the issue ready for the monthly send (a time), or not ready (null). NotFoundError when absent. */
  setReady(id: string, readyAt: string | null): Promise<IssueSummary>;
  /** Publishes the issue on the public archive (a time), or withdraws it (null). NotFoundError when absent. */
  setPublished(id: string, publishedAt: string | null): Promise<IssueSummary>;
  /**
   * Replaces the issue's masthead (the Issue JSON's `masthead`) and its label, if the issue is still
   * `expected` (its JSON as read): ConflictError when it changed meanwhile, NotFoundError when absent.
   */
  setMasthead(id: string, expected: Issue, masthead: Masthead | undefined, label: string): Promise<IssueSummary>;
  /**
   * Replaces the issue's sections (e.g. its figures edited), if the issue is still `expected`:
   * ConflictError when it changed meanwhile, NotFoundError when absent.
   */
  setSections(id: string, expected: Issue, sections: Issue["sections"]): Promise<IssueSummary>;
}
