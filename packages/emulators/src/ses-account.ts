/** The send quota an SES account has (GetAccount's SendQuota). */
export interface SesQuota {
  maxSendRate: number;
  max24HourSend: number;
  sentLast24Hours: number;
}

/**
 * The account aws-ses-v2-local's GetAccount answers with, as JSON for its AWS_SES_ACCOUNT
 * environment variable (without it, GetAccount answers 400). Only the send quota varies.
 *
 * @example
 * process.env.AWS_SES_ACCOUNT ??= localSesAccount({ maxSendRate: 14, max24HourSend: 50_000, sentLast24Hours: 0 });
 */
export function localSesAccount(quota: SesQuota): string {
  return JSON.stringify({
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: "EN",
      MailType: "MARKETING",
      ReviewDetails: { CaseId: "local", Status: "GRANTED" },
      UseCaseDescription: "association bulletin",
      WebsiteURL: "https://example.org",
    },
    EnforcementStatus: "HEALTHY",
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: {
      Max24HourSend: quota.max24HourSend,
      MaxSendRate: quota.maxSendRate,
      SentLast24Hours: quota.sentLast24Hours,
    },
    SuppressionAttributes: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
  });
}
