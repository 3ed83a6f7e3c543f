import { runMonthlySchedule, sweepSends } from "@bulletin/core";
import { container } from "../container.ts";

// The cron (every few minutes): scheduled sends whose time has come, the monthly send, and core's
// sweeper (the one crash-recovery path, which the local service runs too) for sends whose senders
// or dispatcher died.
export const handler = async () => {
  const rt = container();
  const { stores, clock } = rt;
  const dispatch = (sendId: string) => rt.dispatch(sendId);
  const due = await stores.sends.listDue(clock.now().toISOString());
  for (const send of due) await dispatch(send.id);
  const monthly = rt.config.monthly
    ? await runMonthlySchedule(rt.config.monthly, { ...stores, clock, dispatch })
    : null;
  const swept = await sweepSends({
    ...stores,
    queue: rt.queue,
    clock,
    dispatch,
    queueIsEmpty: () => rt.queueIsEmpty(),
  });
  const report = { due: due.map((s) => s.id), monthly, ...swept };
  console.log(JSON.stringify({ msg: "scheduler", ...report }));
  return report;
};
