import type { CopyLedger } from "../send/send-ports.ts";

/**
 * A CopyLedger in a Map: who received which issue, through which send. Marking is idempotent and
 * the first mark wins, as a conditional put would.
 *
 * @example
 * const copies = new InMemoryCopyLedger();
 * await copies.markReceived("issue-1", "a@example.cn", "send-1", "2025-05-20T08:00:00.000Z");
 * (await copies.received("issue-1", ["a@example.cn", "b@example.cn"])).has("a@example.cn"); // true
 */
export class InMemoryCopyLedger implements CopyLedger {
  private readonly byIssue = new Map<string, Map<string, { sendId: string; at: string }>>();

  async received(issueId: string, emails: readonly string[]): Promise<Set<string>> {
    const copies = this.byIssue.get(issueId);
    return new Set(copies ? emails.filter((e) => copies.has(e)) : []);
  }

  async markReceived(issueId: string, email: string, sendId: string, at: string): Promise<void> {
    let copies = this.byIssue.get(issueId);
    if (!copies) this.byIssue.set(issueId, (copies = new Map()));
    if (!copies.has(email)) copies.set(email, { sendId, at });
  }

  /** Every copy of an issue, sorted by email: for assertions, not part of the port. */
  entries(issueId: string): { email: string; sendId: string; at: string }[] {
    return [...(this.byIssue.get(issueId) ?? new Map<string, { sendId: string; at: string }>())]
      .map(([email, v]) => ({ email, ...v }))
      .sort((a, b) => (a.email < b.email ? -1 : 1));
  }
}
