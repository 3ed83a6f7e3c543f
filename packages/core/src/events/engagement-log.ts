/**
 * Opens and clicks that hold: each SES event counts once (a replay of the same export changes
 * nothing), and those a link scanner made are counted apart from people's.
 *
 * Every email carries an invisible canary link (CANARY_PARAM): no person sees it, so only a program
 * that follows every link (Microsoft Defender, Mimecast, Proofpoint) clicks it. A canary click marks
 * the same message's other opens and clicks within CANARY_WINDOW_MS of it, before or after, as
 * automated. Events arrive in any order, so each delivery keeps a log of the engagement events seen
 * (their ids, kinds and times), and the counts are recomputed from the log on every change: the
 * delta between the log's summary before and after is what the counters move by.
 */

/** The query parameter that marks the canary link (its value is 1). */
export const CANARY_PARAM = "bulletin-canary";
/** A canary click makes the message's opens and clicks within this long of it automated. */
export const CANARY_WINDOW_MS = 5 * 60_000;
/** Events logged per delivery at most; later ones are reported "full" and counted nowhere. */
export const MAX_ENGAGEMENT_LOG = 2_000;

export type EngagementEventKind = "open" | "click" | "canary";

export interface EngagementEntry {
  /** The SES event's identity (SesEvent.id): the same event replayed has the same id. */
  id: string;
  kind: EngagementEventKind;
  at: string;
  automated: boolean;
}

/** One delivery's engagement, as counted: people's, and apart, a scanner's. */
export interface EngagementSummary {
  opened: number;
  openedFirst: number;
  clicked: number;
  clickedFirst: number;
  automatedOpened: number;
  automatedClicked: number;
  canaryClicks: number;
}

export type EngageOutcome = "counted" | "automated" | "duplicate" | "full";

export const ENGAGEMENT_FIELDS = [
  "opened",
  "openedFirst",
  "clicked",
  "clickedFirst",
  "automatedOpened",
  "automatedClicked",
  "canaryClicks",
] as const;

/**
 * True for the canary link of an email (the link SES reports in a Click event).
 *
 * @example
 * isCanaryLink("https://x.org/archive/i1?bulletin-canary=1"); // true
 */
export function isCanaryLink(link: string | undefined): boolean {
  if (!link) return false;
  try {
    return new URL(link).searchParams.get(CANARY_PARAM) === "1";
  } catch {
    return false;
  }
}

/**
 * The counts a delivery's log stands for.
 *
 * @example
 * summarise([{ id: "a", kind: "open", at, automated: false }]).openedFirst; // 1
 */
export function summarise(log: readonly EngagementEntry[]): EngagementSummary {
  const s: EngagementSummary = {
    opened: 0,
    openedFirst: 0,
    clicked: 0,
    clickedFirst: 0,
    automatedOpened: 0,
    automatedClicked: 0,
    canaryClicks: 0,
  };
  for (const e of log) {
    if (e.kind === "canary") s.canaryClicks++;
    else if (e.kind === "open") e.automated ? s.automatedOpened++ : s.opened++;
    else e.automated ? s.automatedClicked++ : s.clicked++;
  }
  s.openedFirst = s.opened > 0 ? 1 : 0;
  s.clickedFirst = s.clicked > 0 ? 1 : 0;
  return s;
}

/**
 * Adds one event to a delivery's log: the new log, what the counters move by, and whether it counted
 * for people, as automated, or not at all (a replay: "duplicate"; a log at its limit: "full").
 *
 * @example
 * const r = recordEngagement([], { id: "e1", kind: "open", at: "2026-01-01T00:00:00.000Z" });
 * r.outcome; // "counted"
 * r.delta.openedFirst; // 1
 */
export function recordEngagement(
  log: readonly EngagementEntry[],
  event: { id: string; kind: EngagementEventKind; at: string },
  windowMs = CANARY_WINDOW_MS,
): { outcome: EngageOutcome; log: EngagementEntry[]; delta: EngagementSummary } {
  const zero = summarise([]);
  if (log.some((e) => e.id === event.id)) return { outcome: "duplicate", log: [...log], delta: zero };
  if (log.length >= MAX_ENGAGEMENT_LOG) return { outcome: "full", log: [...log], delta: zero };
  const t = Date.parse(event.at);
  const near = (e: { at: string }) => Math.abs(Date.parse(e.at) - t) <= windowMs;
  let next: EngagementEntry[];
  let automated: boolean;
  if (event.kind === "canary") {
    next = log.map((e) => (e.kind !== "canary" && !e.automated && near(e) ? { ...e, automated: true } : { ...e }));
    automated = true;
  } else {
    automated = log.some((e) => e.kind === "canary" && near(e));
    next = log.map((e) => ({ ...e }));
  }
  next.push({ id: event.id, kind: event.kind, at: event.at, automated });
  const before = summarise(log);
  const after = summarise(next);
  const delta = Object.fromEntries(
    ENGAGEMENT_FIELDS.map((f) => [f, after[f] - before[f]]),
  ) as unknown as EngagementSummary;
  return { outcome: automated ? "automated" : "counted", log: next, delta };
}

/**
 * The log as stored: one compact line per event ("id kind at automated"), so a delivery with many
 * opens stays far below DynamoDB's item limit (about 60 bytes an event).
 *
 * @example
 * parseEngagementLog(formatEngagementLog(log)); // log
 */
export function formatEngagementLog(log: readonly EngagementEntry[]): string {
  return log.map((e) => `${e.id} ${e.kind} ${e.at} ${e.automated ? 1 : 0}`).join("\n");
}

export function parseEngagementLog(stored: unknown): EngagementEntry[] {
  if (typeof stored !== "string" || stored === "") return [];
  return stored.split("\n").flatMap((line) => {
    const [id, kind, at, automated] = line.split(" ");
    if (!id || !at || (kind !== "open" && kind !== "click" && kind !== "canary")) return [];
    return [{ id, kind, at, automated: automated === "1" }];
  });
}
