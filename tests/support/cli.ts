import type { Role } from "@bulletin/core";
import { main } from "../../packages/cli/src/main.ts";
import type { startTestService } from "./service.ts";

/** What a run of the CLI left: its exit code and everything it wrote to stdout and stderr. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `bulletin ARGS` in this process through the CLI's own `main(argv, io)`, with stdout and stderr
 * captured and `env` as the whole environment the commands read (nothing leaks in from the shell
 * running the tests). The same code the bin runs, without a Node and tsx start per call; the one
 * test that spawns the bin itself is tests/cli-bin.test.ts.
 *
 * @example
 * const { code, out } = await runCli(["import", "samples/bulletins/004_c6f4c6a81dc11ba8.txt"]);
 */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await main(args, {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    env: { ...options.env },
    isTTY: options.isTTY ?? false,
  });
  return { code, out, err };
}

/**
 * `runCli` pointed at a test service (BULLETIN_URL) with the token of `role` (BULLETIN_TOKEN); `env`
 * overrides either, e.g. `{ BULLETIN_TOKEN: "" }` for a missing token.
 *
 * @example
 * const bulletin = cliFor(ctx, "admin");
 * const r = await bulletin(["recipients", "list", "--tier", "报"]);
 */
export function cliFor(ctx: Awaited<ReturnType<typeof startTestService>>, role: Role) {
  return (args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> =>
    runCli(args, { env: { BULLETIN_URL: ctx.service.url, BULLETIN_TOKEN: ctx.tokens[role], ...env } });
}
