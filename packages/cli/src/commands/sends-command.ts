import { type CliIo, UsageError } from "../cli-io.ts";
import { readServiceConfig } from "../cli-config.ts";
import { callService } from "../service-client.ts";

export const sendsUsage = `usage: bulletin sends pause|resume|cancel|retry SEND_ID

pause and resume a send; cancel it; retry re-queues its failed recipients (never the sent ones).
Acts on the running service: BULLETIN_URL and BULLETIN_TOKEN.`;

const ACTIONS = ["pause", "resume", "cancel", "retry"] as const;

/**
 * `bulletin sends pause|resume|cancel|retry SEND_ID`.
 *
 * @example
 * await sendsCommand(["pause", "3b1e…"], io);
 */
export async function sendsCommand(args: string[], io: CliIo): Promise<number> {
  const [action, id, ...rest] = args;
  if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw new UsageError(`say ${ACTIONS.join(", ")}`);
  if (!id || rest.length) throw new UsageError("give one SEND_ID");
  const res = await callService(readServiceConfig(io.env), "POST", `/api/sends/${encodeURIComponent(id)}/${action}`);
  const send = (await res.json()) as { status: string; pauseReason?: string };
  io.out(`send ${id}: ${send.status}${send.pauseReason ? ` (${send.pauseReason})` : ""}\n`);
  return 0;
}
