/**
 * What a command sees of the world: where it writes (stdout for results, stderr for messages), the
 * environment it reads its settings from, and whether stderr is a terminal. The bin passes the
 * process's own; tests pass their own and run the CLI in process.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The variables the commands read (BULLETIN_URL, BULLETIN_TOKEN, PUBLIC_URL, PORT). */
  env: NodeJS.ProcessEnv;
  /** A terminal gets the progress bar redrawn in place; anything else one line per update. */
  isTTY: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: process.stderr.isTTY === true,
};

/** A mistake in how the command was called: exit code 2 with the usage. */
export class UsageError extends Error {}
