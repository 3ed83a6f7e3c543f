import { ConflictError, InvalidInputError } from "../errors/errors.ts";
import { TIERS } from "../issue/issue-schema.ts";
import type { Clock } from "../clock.ts";
import type { IssueRepo } from "../issue/issue-repo.ts";
import type { Send } from "./send-model.ts";
import type { SendRepo } from "./send-ports.ts";

/** "Send the issue marked ready on day D of every month at HH:MM (UTC±hh:mm)". */
export interface MonthlySchedule {
  day: number;
  hour: number;
  minute: number;
  /** Minutes east of UTC, e.g. 480 for China Standard Time. */
  offsetMinutes: number;
}

const SPEC = /^(\d{1,2})\s+(\d{1,2}):(\d{2})(?:\s*(?:UTC)?([+-])(\d{1,2}):?(\d{2}))?$/;
// A slot missed while the service was down is still sent if the service is back within this time.
const CATCH_UP_MS = 24 * 3600_000;

/**
 * Parses "DAY HH:MM[ ±HH:MM]" (days 1–28, so every month has the day).
 *
 * @example
 * parseMonthlySchedule("1 09:00 +08:00"); // { day: 1, hour: 9, minute: 0, offsetMinutes: 480 }
 */
export function parseMonthlySchedule(spec: string): MonthlySchedule {
  const m = SPEC.exec(spec.trim());
  const bad = () =>
    new InvalidInputError(
      "schedule.monthly",
      `a monthly schedule is "DAY HH:MM ±HH:MM" with DAY from 1 to 28, e.g. "1 09:00 +08:00", not "${spec}"`,
    );
  if (!m) throw bad();
  const [day, hour, minute] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const offsetMinutes = m[4] ? (m[4] === "-" ? -1 : 1) * (Number(m[5]) * 60 + Number(m[6])) : 0;
  if (day < 1 || day > 28 || hour > 23 || minute > 59 || Math.abs(offsetMinutes) > 14 * 60) throw bad();
  return { day, hour, minute, offsetMinutes };
}

/**
 * The latest slot of the schedule at or before `now`.
 *
 * @example
 * lastSlot(parseMonthlySchedule("1 09:00 +08:00"), new Date("2026-12-01T02:00:00Z")).toISOString(); // "2026-12-01T01:00:00.000Z"
 */
export function lastSlot(schedule: MonthlySchedule, now: Date): Date {
  const local = new Date(now.getTime() + schedule.offsetMinutes * 60_000);
  const slotIn = (year: number, month: number) =>
    new Date(Date.UTC(year, month, schedule.day, schedule.hour, schedule.minute) - schedule.offsetMinutes * 60_000);
  const thisMonth = slotIn(local.getUTCFullYear(), local.getUTCMonth());
  return thisMonth.getTime() <= now.getTime() ? thisMonth : slotIn(local.getUTCFullYear(), local.getUTCMonth() - 1);
}

/**
 * The monthly send: when a slot has come (within a day), the newest issue marked ready before the
 * slot goes to all three tiers. The send's id is derived from the issue, so a second run — another
 * timer tick, a second scheduler, a retried cron — finds it already there and sends nothing twice.
 *
 * @example
 * await runMonthlySchedule(schedule, { issues, sends, clock, dispatch }); // "monthly-<issueId>" or null
 */
export async function runMonthlySchedule(
  schedule: MonthlySchedule,
  deps: { issues: IssueRepo; sends: SendRepo; clock: Clock; dispatch: (sendId: string) => Promise<void> | void },
): Promise<string | null> {
  const now = deps.clock.now();
  const slot = lastSlot(schedule, now);
  if (now.getTime() - slot.getTime() > CATCH_UP_MS) return null;
  const { items } = await deps.issues.list({ limit: 20 });
  const ready = items.find((i) => i.readyAt !== undefined && i.readyAt <= slot.toISOString());
  if (!ready) return null;
  const id = `monthly-${ready.id}`;
  if (await deps.sends.get(id)) return null;
  const send: Send = {
    id,
    issueId: ready.id,
    tiers: [...TIERS],
    test: false,
    resend: false,
    status: "dispatching",
    createdAt: now.toISOString(),
    total: 0,
  };
  try {
    await deps.sends.create(send);
  } catch (e) {
    if (e instanceof ConflictError) return null;
    throw e;
  }
  await deps.dispatch(id);
  return id;
}
