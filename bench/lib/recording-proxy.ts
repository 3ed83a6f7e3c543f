import { fork } from "node:child_process";

/**
 * Starts bench/lib/recording-proxy.mjs in front of `target` (the SES emulator's, or DynamoDB's, URL).
 *
 * @example
 * const proxy = await startRecordingProxy(stack.endpoints.ses);
 * // … point BULLETIN_SES_ENDPOINT at proxy.url, send …
 * const arrivals = await proxy.takeAccepted(); // ms timestamps, cleared
 */
export async function startRecordingProxy(target: string) {
  const child = fork(new URL("./recording-proxy.mjs", import.meta.url), [target], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once("message", (m) => resolve(m as T));
      child.once("exit", (code) => reject(new Error(`the recording proxy exited (${code})`)));
    });
  const { port } = await next<{ port: number }>();
  return {
    url: `http://127.0.0.1:${port}`,
    /** The arrival times (ms) of the messages SES accepted since the last call. */
    async takeAccepted(): Promise<number[]> {
      return (await this.take()).accepted;
    },
    /**
     * The arrival times of accepted messages (and, at the same index, each one's recipient), and the
     * requests by operation, since the last call.
     */
    async take(): Promise<{ accepted: number[]; acceptedTo: string[]; operations: Record<string, number> }> {
      const answer = next<{ accepted: number[]; acceptedTo: string[]; operations: Record<string, number> }>();
      child.send("take");
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.disconnect();
      }),
  };
}
