import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/<name>/invocations`) on loopback, for handler
 * tests: an asynchronous invocation (`X-Amz-Invocation-Type: Event`) answers 202 at once and runs
 * the named handler in the background, as Lambda would. The AWS SDK reaches it through
 * AWS_ENDPOINT_URL_LAMBDA, so the code under test makes its real InvokeCommand.
 *
 * @example
 * const lambda = await startFakeLambda({ dispatcher: (e) => dispatcher.handler(e) });
 * process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.url;
 * await lambda.settled(); // every invocation so far has finished
 */
export async function startFakeLambda(functions: Record<string, (event: unknown) => Promise<unknown>>) {
  const running: Promise<unknown>[] = [];
  const invocations: { name: string; event: unknown; error?: string }[] = [];
  const server: Server = createServer((req, res) => {
    const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
    let body = "";
    req.on("data", (d) => (body += String(d)));
    req.on("end", () => {
      const name = m ? decodeURIComponent(m[1]!) : "";
      const fn = functions[name];
      if (!fn) {
        res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
        res.end(JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
        return;
      }
      const event = JSON.parse(body || "{}") as unknown;
      const record: { name: string; event: unknown; error?: string } = { name, event };
      invocations.push(record);
      running.push(fn(event).catch((e: unknown) => (record.error = (e as Error).message)));
      res.writeHead(202, { "content-type": "application/json" });
      res.end("");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    async settled() {
      while (running.length) await running.shift();
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
