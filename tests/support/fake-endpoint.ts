import { createServer, type ServerResponse } from "node:http";

/**
 * A loopback HTTP server that answers every request with `respond` (or never, if it does nothing),
 * for an SDK client to fail against: a load balancer's bare 503, a connection that hangs.
 *
 * @example
 * const hung = await fakeEndpoint(() => {});
 * const client = createDocumentClient({ ...local, endpoint: hung.url });
 * await hung.close();
 */
export async function fakeEndpoint(
  respond: (res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => req.resume().on("end", () => respond(res)));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Credentials and region any emulator accepts, and one attempt, so a failure shows at once. */
export const LOCAL_CLIENT = {
  region: "us-east-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  maxAttempts: 1,
} as const;
