/** The time, as the domain sees it; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

/** The machine's time: what every deployable passes where a Clock is wanted. */
export const systemClock: Clock = { now: () => new Date() };
