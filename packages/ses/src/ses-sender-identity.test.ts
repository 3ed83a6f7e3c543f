import { describe, expect, it } from "vitest";
import { dkimStateOf, dkimStateOfError } from "./ses-sender-identity.ts";

// SES v2 GetEmailIdentity answers, as documented (DkimAttributes.Status: PENDING | SUCCESS | FAILED | TEMPORARY_FAILURE | NOT_STARTED).
describe("the DKIM state of GetEmailIdentity's answer", () => {
  it("reads SES's DKIM status and whether it signs", () => {
    expect(dkimStateOf({ DkimAttributes: { Status: "SUCCESS", SigningEnabled: true } })).toEqual({
      status: "verified",
      signingEnabled: true,
    });
    expect(dkimStateOf({ DkimAttributes: { Status: "SUCCESS", SigningEnabled: false } })).toEqual({
      status: "verified",
      signingEnabled: false,
    });
    expect(dkimStateOf({ DkimAttributes: { Status: "PENDING", SigningEnabled: true } })).toMatchObject({
      status: "pending",
    });
    expect(dkimStateOf({ DkimAttributes: { Status: "FAILED" } })).toEqual({ status: "failed" });
    expect(dkimStateOf({ DkimAttributes: { Status: "TEMPORARY_FAILURE" } })).toEqual({ status: "temporary-failure" });
    expect(dkimStateOf({ DkimAttributes: { Status: "NOT_STARTED" } })).toEqual({ status: "not-set-up" });
    expect(dkimStateOf({})).toEqual({ status: "not-set-up" });
  });

  it("translates SDK errors: a missing identity is an answer, the rest unknown with the error", () => {
    expect(
      dkimStateOfError(
        Object.assign(new Error("Email identity news.example.org does not exist."), { name: "NotFoundException" }),
      ),
    ).toEqual({ status: "not-set-up" });
    expect(
      dkimStateOfError(
        Object.assign(new Error("not authorized to perform: ses:GetEmailIdentity"), { name: "AccessDeniedException" }),
      ),
    ).toEqual({
      status: "unknown",
      detail: "AccessDeniedException: not authorized to perform: ses:GetEmailIdentity",
    });
    expect(dkimStateOfError("boom")).toEqual({ status: "unknown", detail: "Error: boom" });
  });
});
