/**
 * Where the sender's domain stands with DKIM, as the mail service says:
 * - `verified`: the DKIM records are found and SES signs with them (`signingEnabled` false: found,
 *   but signing is turned off);
 * - `pending`: SES is still looking for the records (DNS not yet published, or not yet seen);
 * - `failed`: the records are gone or wrong; `temporary-failure`: SES could not check them just now;
 * - `not-set-up`: the domain is not an identity of this account (or DKIM was never started);
 * - `local`: the local stack, where nothing is signed and nothing needs to be;
 * - `unknown`: the question could not be answered (`detail` says why).
 */
export type DkimStatus = "verified" | "pending" | "failed" | "temporary-failure" | "not-set-up" | "local" | "unknown";

export interface DkimState {
  status: DkimStatus;
  signingEnabled?: boolean;
  /** Why the status is unknown (the service's error), for the reason shown to the clerk. */
  detail?: string;
}

/**
 * The SenderIdentity port: what the mail service knows of the domain mail is sent from. Never
 * throws for a failed look-up: it answers `unknown` with the detail, so a check can say so.
 *
 * @example
 * const dkim = await identity.dkim("news.example.org"); // { status: "verified", signingEnabled: true }
 */
export interface SenderIdentity {
  dkim(domain: string): Promise<DkimState>;
}

/**
 * The domain of a From address (its part after the last @), lower-cased.
 *
 * @example
 * senderDomain("Bulletin <bulletin@News.Example.org>"); // "news.example.org"
 */
export function senderDomain(from: string): string {
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  return address
    .slice(address.lastIndexOf("@") + 1)
    .trim()
    .toLowerCase();
}

/** What the pre-send checks know of who sends: the From address, its domain's identity, and where this runs. */
export interface SenderSetup {
  fromEmail: string;
  identity: SenderIdentity;
  /** The local stack (emulators, http://localhost links): no DKIM, and plain http links are expected. */
  localStack: boolean;
}
