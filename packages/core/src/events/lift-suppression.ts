import { NotFoundError } from "../errors/errors.ts";
import type { Clock } from "../clock.ts";
import type { RecipientRepo } from "../audience/recipient-repo.ts";
import type { SuppressionLift, SuppressionRepo } from "./events-ports.ts";

/**
 * An admin lets an address back in: the suppression is removed and the lift kept in its log (who,
 * when, and the entry as it was). A recipient marked "bounced" by that bounce becomes active again
 * (the mailbox was fixed); "complained" and "unsubscribed" stay as they are, since those were the
 * person's own words and only an explicit change of the recipient may undo them.
 * NotFoundError when the address is not suppressed.
 *
 * @example
 * const lift = await liftSuppression("li@example.cn", "admin token", { suppressions, recipients, clock });
 * lift.liftedBy; // "admin token"
 */
export async function liftSuppression(
  email: string,
  by: string,
  deps: { suppressions: SuppressionRepo; recipients: RecipientRepo; clock: Clock },
): Promise<SuppressionLift & { recipientReactivated: boolean }> {
  const at = deps.clock.now().toISOString();
  const entry = await deps.suppressions.get(email);
  if (!entry) throw new NotFoundError("suppression.not-found", `${email} is not suppressed`);
  await deps.suppressions.lift(email, by, at);
  // A new run of soft bounces starts from zero.
  await deps.suppressions.clearSoftBounces(email);
  let recipientReactivated = false;
  const recipient = await deps.recipients.get(email);
  if (entry.reason === "bounce" && recipient?.status === "bounced") {
    try {
      await deps.recipients.update(email, { status: "active" }, at);
      recipientReactivated = true;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return { ...entry, liftedBy: by, liftedAt: at, recipientReactivated };
}
