import { afterEach, describe, expect, it, vi } from "vitest";
import { SES_EVENT_TYPES } from "@bulletin/core";
import { tokenOf } from "./sst-stubs.ts";
import { evaluate } from "./graph.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("email", () => {
  it("sends from the domain with DMARC, and publishes every event type the tracker handles to SesEvents", async () => {
    const { graph, recording } = await evaluate("production");
    const email = graph.byName("Email");
    expect(email.type).toBe("sst.aws.Email");
    expect(email.args.sender).toBe("news.example.org");
    expect(String(email.args.dmarc)).toMatch(/^v=DMARC1; p=(quarantine|reject)/);
    const events = email.args.events as { name: string; types: string[]; topic: unknown }[];
    expect(events).toHaveLength(1);
    expect(tokenOf(events[0]?.topic)).toBe("SesEvents.arn");
    // SES's event names ("Rendering Failure", "DeliveryDelay") in SST's spelling.
    const sstName = (t: string) =>
      t
        .replace(/([a-z])([A-Z])/g, "$1-$2")
        .replace(/ /g, "-")
        .toLowerCase();
    expect([...(events[0]?.types ?? [])].sort()).toEqual(SES_EVENT_TYPES.map(sstName).sort());
    expect(graph.byName("SesEvents").type).toBe("sst.aws.SnsTopic");

    // The topic lets SES publish, and only for this configuration set.
    const policy = graph.byName("SesEventsPolicy");
    expect(tokenOf(policy.args.arn)).toBe("SesEvents.arn");
    const doc = recording.calls.find((c) => c.fn === "aws.iam.getPolicyDocumentOutput")?.args[0] as {
      statements: {
        principals: { identifiers: string[] }[];
        actions: string[];
        resources: unknown[];
        conditions: { variable: string; values: unknown[] }[];
      }[];
    };
    const statement = doc.statements[0];
    expect(statement?.principals[0]?.identifiers).toEqual(["ses.amazonaws.com"]);
    expect(statement?.actions).toEqual(["SNS:Publish"]);
    expect(statement?.resources.map(tokenOf)).toEqual(["SesEvents.arn"]);
    const sourceArn = statement?.conditions.find((c) => c.variable === "AWS:SourceArn");
    expect(sourceArn?.values.map(tokenOf)).toEqual(["Email.nodes.configurationSet.arn"]);
  });

  it("keeps SES events that fail every retry on a dead-letter queue", async () => {
    const { graph } = await evaluate("production");
    const tracker = graph.fn("ses-events").args;
    const target = (tracker.transform as { function: { deadLetterConfig: { targetArn: unknown } } }).function
      .deadLetterConfig.targetArn;
    expect(tokenOf(target)).toBe("SesEventsDlq.arn");
    expect(tracker.permissions?.map((p) => ({ actions: p.actions, resources: p.resources.map(tokenOf) }))).toEqual([
      { actions: ["sqs:SendMessage"], resources: ["SesEventsDlq.arn"] },
    ]);
  });
});
