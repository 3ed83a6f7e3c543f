/** Where a command writes: stdout for results, stderr for messages. Tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A mistake in how the command was called: exit code 2 with the usage. */
export class UsageError extends Error {}
