import { readFileSync } from "node:fs";
import {
  type Clock,
  type IssueRepo,
  importIssue,
  importRecipients,
  type RecipientRepo,
  storeImportedIssue,
} from "@bulletin/core";

const SAMPLE_RECIPIENTS = new URL("../../../samples/recipients.csv", import.meta.url);
const SAMPLE_BULLETIN = new URL("../../../samples/bulletins/004_c6f4c6a81dc11ba8.txt", import.meta.url);

/**
 * First start: load the sample recipients and the sample bulletin, through the same use-cases the
 * API uses, so a new user has something to look at and send.
 *
 * @example
 * await seedSamples({ issues, recipients, clock, newId });
 */
export async function seedSamples(deps: {
  issues: IssueRepo;
  recipients: RecipientRepo;
  clock: Clock;
  newId(): string;
}): Promise<{ recipients: number; issueId: string }> {
  const report = await importRecipients(readFileSync(SAMPLE_RECIPIENTS, "utf8"), deps);
  const imported = importIssue(readFileSync(SAMPLE_BULLETIN, "utf8"), { name: "004_c6f4c6a81dc11ba8.txt" });
  // The sample's masthead (artwork in the PDF) did not survive the text extraction: the sample is
  // given one, marked as a sample, so that it can be sent as a real issue would be (with a number).
  const issue = {
    ...imported.issue,
    masthead: { title: "通信行业简报", number: "2025年第5期（示例）", date: "2025年5月30日" },
  };
  const { id: issueId } = await storeImportedIssue({ issue, format: imported.format }, deps);
  return { recipients: report.created, issueId };
}
