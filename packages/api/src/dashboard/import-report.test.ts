import { describe, expect, it } from "vitest";
import { ImportReportView } from "./import-report.tsx";

describe("the recipients import report", () => {
  it("says why each skipped line was skipped, in Chinese and without a doubled 已", async () => {
    const html = String(
      await ImportReportView({
        report: {
          name: "名单.csv",
          created: 1,
          updated: 0,
          unchanged: 0,
          rejected: [],
          skipped: [
            { line: 2, email: "a@example.cn", reason: "unsubscribed" },
            { line: 3, email: "b@example.cn", reason: "bounced" },
            { line: 4, email: "c@example.cn", reason: "complained" },
          ],
        },
      }),
    );
    expect(html).toContain("已退订");
    expect(html).toContain("已退信");
    expect(html).toContain("已投诉");
    expect(html).not.toContain("已已");
  });
});
