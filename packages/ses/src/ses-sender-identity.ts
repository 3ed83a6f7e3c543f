import { type GetEmailIdentityCommandOutput, GetEmailIdentityCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { DkimState, DkimStatus, SenderIdentity } from "@bulletin/core";

const STATUS: Record<string, DkimStatus> = {
  SUCCESS: "verified",
  PENDING: "pending",
  FAILED: "failed",
  TEMPORARY_FAILURE: "temporary-failure",
  NOT_STARTED: "not-set-up",
};

/**
 * The SenderIdentity port on SES v2: GetEmailIdentity of the sender's domain, its
 * `DkimAttributes.Status` and `SigningEnabled`. SDK errors are translated here, once, into the
 * port's answers: an identity SES does not have is `not-set-up`, anything else (no permission, no
 * answer) `unknown` with the error's name and message.
 *
 * @example
 * await new SesSenderIdentity(sesClient()).dkim("news.example.org"); // { status: "verified", signingEnabled: true }
 */
export class SesSenderIdentity implements SenderIdentity {
  // SES's control-plane calls are rate-limited per account (about one a second): an answer is kept
  // a minute, so a busy issue page asks once.
  private readonly cache = new Map<string, { state: DkimState; until: number }>();

  constructor(
    private readonly client: SESv2Client,
    private readonly ttlMs = 60_000,
  ) {}

  async dkim(domain: string): Promise<DkimState> {
    const hit = this.cache.get(domain);
    if (hit && hit.until > Date.now()) return hit.state;
    let state: DkimState;
    try {
      state = dkimStateOf(
        await this.client.send(new GetEmailIdentityCommand({ EmailIdentity: domain }), {
          abortSignal: AbortSignal.timeout(5_000),
        }),
      );
    } catch (error) {
      state = dkimStateOfError(error);
    }
    // A failed look-up is asked again next time.
    if (state.status !== "unknown") this.cache.set(domain, { state, until: Date.now() + this.ttlMs });
    return state;
  }
}

/**
 * What GetEmailIdentity's answer says of DKIM.
 *
 * @example
 * dkimStateOf({ DkimAttributes: { Status: "PENDING", SigningEnabled: true }, $metadata: {} }); // { status: "pending", signingEnabled: true }
 */
export function dkimStateOf(out: Pick<GetEmailIdentityCommandOutput, "DkimAttributes">): DkimState {
  const d = out.DkimAttributes;
  const status = d?.Status ? (STATUS[d.Status] ?? "unknown") : "not-set-up";
  return {
    status,
    ...(d?.SigningEnabled !== undefined ? { signingEnabled: d.SigningEnabled } : {}),
    ...(status === "unknown" ? { detail: `DKIM status ${d?.Status}` } : {}),
  };
}

/**
 * What a failed GetEmailIdentity says: NotFoundException (the account has no such identity) is an
 * answer; the rest leave the status unknown.
 *
 * @example
 * dkimStateOfError(Object.assign(new Error("denied"), { name: "AccessDeniedException" })); // { status: "unknown", detail: "AccessDeniedException: denied" }
 */
export function dkimStateOfError(error: unknown): DkimState {
  const e = (typeof error === "object" && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  const name = typeof e.name === "string" ? e.name : "Error";
  if (name === "NotFoundException") return { status: "not-set-up" };
  const message = typeof e.message === "string" && e.message ? e.message : String(error);
  return { status: "unknown", detail: `${name}: ${message}`.slice(0, 200) };
}
