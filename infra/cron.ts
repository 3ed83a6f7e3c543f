// One schedule, every 5 minutes, for everything time-driven: scheduled sends that are due, the
// monthly send (MONTHLY_SEND), and the sweeper (claims left "sending" become "unknown", counters
// are repaired, stalled sends are re-enqueued). Each step is idempotent, so a late or repeated
// tick changes nothing twice.
import { architecture, definedEnv, monthlySend, runtime } from "./config";
import { dispatcher, sendQueue } from "./queue";
import { table } from "./storage";

export const scheduler = new sst.aws.CronV2("Scheduler", {
  schedule: "rate(5 minutes)",
  function: {
    handler: "packages/functions/src/handlers/scheduler.handler",
    runtime,
    architecture,
    link: [table, sendQueue, dispatcher],
    environment: definedEnv({ MONTHLY_SEND: monthlySend }),
    // Under the interval, so one tick ends before the next begins.
    timeout: "4 minutes",
    memory: "1024 MB",
  },
});
