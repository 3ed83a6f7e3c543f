import { parseSesEvents, type OutgoingEmail } from "@bulletin/core";
import { describe, expect, it } from "vitest";
import { simulatedOutcome, simulateSesEvents } from "./mailbox-simulator.ts";

const email = (to: string): OutgoingEmail => ({
  from: "bulletin@example.org",
  to,
  subject: "会刊",
  html: "<p>x</p>",
  text: "x",
  headers: [],
  tags: { send: "send-1", tier: "copy", issue: "2025-09", recipient: to },
  configurationSet: "bulletin",
});

describe("the SES mailbox simulator", () => {
  it("knows the simulator's mailboxes, labels included, and nothing else", () => {
    expect(simulatedOutcome("success@simulator.amazonses.com")).toBe("delivered");
    expect(simulatedOutcome("bounce@simulator.amazonses.com")).toBe("bounce");
    expect(simulatedOutcome("Bounce+march@Simulator.AmazonSES.com")).toBe("bounce");
    expect(simulatedOutcome("complaint@simulator.amazonses.com")).toBe("complaint");
    expect(simulatedOutcome("ooto@simulator.amazonses.com")).toBe("ooto");
    expect(simulatedOutcome("suppressionlist@simulator.amazonses.com")).toBe("suppressionlist");
    expect(simulatedOutcome("bounce@example.cn")).toBe("delivered");
  });

  it.each([
    ["success@simulator.amazonses.com", ["Send", "Delivery"], undefined],
    ["ooto@simulator.amazonses.com", ["Send", "Delivery"], undefined],
    ["member@example.cn", ["Send", "Delivery"], undefined],
    ["bounce@simulator.amazonses.com", ["Send", "Bounce"], "General"],
    ["suppressionlist@simulator.amazonses.com", ["Send", "Bounce"], "Suppressed"],
    ["complaint@simulator.amazonses.com", ["Send", "Delivery", "Complaint"], undefined],
  ])("%s produces %j, events our own parser maps back to the send, tier and address", (to, types, subType) => {
    const parsed = parseSesEvents(simulateSesEvents(email(to), "0100-abc", new Date("2026-11-22T01:00:00Z")));
    expect(parsed.invalid).toEqual([]);
    expect(parsed.events.map((e) => e.type)).toEqual(types);
    for (const e of parsed.events)
      expect(e).toMatchObject({
        sendId: "send-1",
        tier: "copy",
        messageId: "0100-abc",
        recipients: [to.toLowerCase()],
      });
    expect(parsed.events.find((e) => e.type === "Bounce")?.bounce).toEqual(
      subType ? { type: "Permanent", subType } : undefined,
    );
  });
});
