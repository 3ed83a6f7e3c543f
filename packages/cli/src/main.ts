import { BulletinError, ImportError } from "@bulletin/core";
import { type CliIo, processIo, UsageError } from "./cli-io.ts";
import { eventsCommand, eventsUsage } from "./commands/events-command.ts";
import { importCommand, importUsage } from "./commands/import-command.ts";
import { issuesCommand, issuesUsage } from "./commands/issues-command.ts";
import { previewCommand, previewUsage } from "./commands/preview-command.ts";
import { recipientsCommand, recipientsUsage } from "./commands/recipients-command.ts";
import { renderCommand, renderUsage } from "./commands/render-command.ts";
import { sendCommand, sendUsage } from "./commands/send-command.ts";
import { sendsCommand, sendsUsage } from "./commands/sends-command.ts";
import { tokensCommand, tokensUsage } from "./commands/tokens-command.ts";

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { run: Command; usage: string }> = {
  import: { run: importCommand, usage: importUsage },
  render: { run: renderCommand, usage: renderUsage },
  issues: { run: issuesCommand, usage: issuesUsage },
  preview: { run: previewCommand, usage: previewUsage },
  recipients: { run: recipientsCommand, usage: recipientsUsage },
  send: { run: sendCommand, usage: sendUsage },
  sends: { run: sendsCommand, usage: sendsUsage },
  events: { run: eventsCommand, usage: eventsUsage },
  tokens: { run: tokensCommand, usage: tokensUsage },
};

const usage = `usage: bulletin <command> [options]

commands:
  import FILE     import an issue (PDF text, Markdown or JSON) and show its outline
  issues          list the running service's issues, or import FILE into it (prints the id)
  render FILE     render the email of a tier to DIR/<tier>.html and .txt
  preview FILE    serve the emails of all three tiers on localhost
  recipients      import, export or list the running service's recipients (BULLETIN_URL, BULLETIN_TOKEN)
  send ISSUE      send an issue to its tiers and follow it to the end (or --dry-run, --test-to, --at)
  sends           pause, resume, cancel or retry a send
  events ingest   replay SES events from a file (JSON array, JSON lines, SNS envelopes)
  tokens          list, create or revoke API tokens (admin)

Run "bulletin <command> --help" for a command's options.`;

/**
 * Runs the CLI and returns the exit code: 0 done, 1 bad input (one line on stderr, never a stack
 * trace), 2 wrong usage.
 *
 * @example
 * process.exitCode = await main(["import", "bulletin.txt"]);
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    io.err(`bulletin: unknown command "${name}"\n${usage}\n`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    return report(e, name, command.usage, io);
  }
}

function report(e: unknown, name: string, commandUsage: string, io: CliIo): number {
  // parseArgs throws TypeErrors with codes such as ERR_PARSE_ARGS_UNKNOWN_OPTION.
  const argsError =
    typeof (e as { code?: unknown }).code === "string" && (e as { code: string }).code.startsWith("ERR_PARSE_ARGS");
  if (e instanceof UsageError || argsError) {
    io.err(`bulletin ${name}: ${(e as Error).message}\n${commandUsage}\n`);
    return 2;
  }
  if (e instanceof BulletinError) {
    const where = e instanceof ImportError && e.where && !e.message.includes(e.where) ? ` (at ${e.where})` : "";
    io.err(`bulletin ${name}: ${e.message}${where}\n`);
    return 1;
  }
  io.err(`bulletin ${name}: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
}
