import { readServiceConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { readInputFile } from "../read-input-file.ts";
import { callService } from "../service-client.ts";

export const eventsUsage = `usage: bulletin events ingest FILE

Replays SES events from FILE — a JSON array, JSON lines as Firehose writes them, or SNS envelopes —
through the service's event handler, to back-fill delivery status from an export. Reports how many
were applied, duplicate, unmatched (each with the reason) and invalid (with reasons); a bad line
never stops it. Events without tags (SES identity notifications) are matched by SES message id.
Acts on the running service: BULLETIN_URL and BULLETIN_TOKEN.`;

/**
 * `bulletin events ingest FILE`.
 *
 * @example
 * await eventsCommand(["ingest", "ses-events.jsonl"], io);
 */
export async function eventsCommand(args: string[], io: CliIo): Promise<number> {
  const [action, file, ...rest] = args;
  if (action !== "ingest") throw new UsageError("say ingest");
  if (!file || rest.length) throw new UsageError("give one FILE of SES events");
  const text = new TextDecoder().decode(readInputFile(file));
  const res = await callService(readServiceConfig(io.env), "POST", "/api/events", {
    type: "text/plain; charset=utf-8",
    data: text,
  });
  const r = (await res.json()) as {
    applied: number;
    duplicate: number;
    unmatched: number;
    ignored: number;
    invalid: { index: number; reason: string }[];
    unmatchedEvents?: { index: number; type: string; messageId: string; recipient: string; reason: string }[];
  };
  io.out(
    `applied ${r.applied}, duplicate ${r.duplicate}, unmatched ${r.unmatched}, ignored ${r.ignored}, invalid ${r.invalid.length}\n`,
  );
  for (const bad of r.invalid) io.out(`  ${bad.index}: ${bad.reason}\n`);
  for (const u of r.unmatchedEvents ?? [])
    io.out(`  unmatched event ${u.index} (${u.type} ${u.messageId} to ${u.recipient}): ${u.reason}\n`);
  return 0;
}
