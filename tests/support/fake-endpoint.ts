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

/** What an SDK client needs here: its resolved config (for the request handler) and destroy(). */
interface SdkClient {
  config: { requestHandler?: unknown };
  destroy(): void;
}

/**
 * The request handler's timeouts as a client made by `make` resolved them, read after one call to an
 * endpoint that answers `body` (an SDK handler resolves its options on the first request).
 *
 * @example
 * const t = await resolvedTimeouts((url) => createSqsClient({ ...LOCAL_CLIENT, endpoint: url }), "{}", (c) => c.send(cmd));
 */
export async function resolvedTimeouts<C extends SdkClient>(
  make: (endpoint: string) => C,
  body: string,
  call: (client: C) => Promise<unknown>,
): Promise<{ requestTimeout?: number; throwOnRequestTimeout?: boolean }> {
  const answered = await fakeEndpoint((res) =>
    res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(body),
  );
  const client = make(answered.url);
  try {
    await call(client);
    const handler = client.config.requestHandler as {
      httpHandlerConfigs(): { requestTimeout?: number; throwOnRequestTimeout?: boolean };
    };
    return handler.httpHandlerConfigs();
  } finally {
    client.destroy();
    await answered.close();
  }
}

/**
 * One call by a client made by `make` to an endpoint that never answers: the error it ended in (or
 * undefined) and how long that took.
 *
 * @example
 * const { error, ms } = await callToHungEndpoint((url) => createSqsClient({ ...LOCAL_CLIENT, endpoint: url }), (c) => c.send(cmd));
 */
export async function callToHungEndpoint<C extends SdkClient>(
  make: (endpoint: string) => C,
  call: (client: C) => Promise<unknown>,
): Promise<{ error: unknown; ms: number }> {
  const hung = await fakeEndpoint(() => {});
  const client = make(hung.url);
  const started = Date.now();
  try {
    const error = await call(client).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, ms: Date.now() - started };
  } finally {
    client.destroy();
    await hung.close();
  }
}
