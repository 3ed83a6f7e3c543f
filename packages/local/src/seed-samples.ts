import { readFileSync } from "node:fs";
import { type Clock, type IssueRepo, importIssue, importRecipients, type RecipientRepo } from "@bulletin/core";

const SAMPLE_RECIPIENTS = new URL("../../../samples/recipients.csv", import.meta.url);
const SAMPLE_BULLETIN = new URL("../../../samples/bulletins/004_c6f4c6a81dc11ba8.txt", import.meta.url);

/**
 * First start: load the sample recipients and the sample bulletin, through the same use-cases the
 * API uses, so a new user has something to look at and send.
 *
 * @example
 * await seedSamples({ issues, recipients, clock, newId });
 */
export async function seedSamples(deps: { issues: IssueRepo; recipients: RecipientRepo; clock: Clock; newId(): string }): Promise<{ recipients: number; issueId: string }> {
  const report = await importRecipients(readFileSync(SAMPLE_RECIPIENTS, "utf8"), deps);
  const { issue, format } = importIssue(readFileSync(SAMPLE_BULLETIN, "utf8"), { name: "004_c6f4c6a81dc11ba8.txt" });
  const issueId = deps.newId();
  const first = issue.sections.flatMap((s) => s.articles)[0]?.title ?? "示例简报";
  await deps.issues.create({ id: issueId, label: `示例：${first}`, format, createdAt: deps.clock.now().toISOString(), issue });
  return { recipients: report.created, issueId };
}
