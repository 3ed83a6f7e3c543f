import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** One message SES accepted: when its call arrived (ms since the epoch) and whom it was for. */
export interface Arrival {
  at: number;
  to: string;
}

/**
 * A loopback proxy in front of the local SES emulator that records when each message SES accepted
 * arrived, to the millisecond (the emulator's own store keeps whole seconds): a SendBulkEmail call
 * counts once per destination whose entry SES answered SUCCESS, a SendEmail once.
 *
 * @example
 * const ses = await startSesArrivals(`http://127.0.0.1:${sesPort}`);
 * // … BULLETIN_SES_ENDPOINT: ses.url, send …
 * ses.arrivals; // [{ at, to }, …]
 */
export async function startSesArrivals(
  target: string,
): Promise<{ url: string; arrivals: Arrival[]; stop(): Promise<void> }> {
  const arrivals: Arrival[] = [];
  const server = createServer((req, res) => {
    const at = Date.now();
    const path = (req.url ?? "/").split("?")[0]!;
    const bulk = path.endsWith("/outbound-bulk-emails");
    const sent: Buffer[] = [];
    req.on("data", (c: Buffer) => sent.push(c));
    const up = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const answer: Buffer[] = [];
      upRes.on("data", (c: Buffer) => answer.push(c));
      upRes.on("end", () => {
        if (upRes.statusCode !== 200 || !(bulk || path.endsWith("/outbound-emails"))) return;
        const input = JSON.parse(Buffer.concat(sent).toString("utf8") || "{}") as {
          Destination?: { ToAddresses?: string[] };
          BulkEmailEntries?: { Destination?: { ToAddresses?: string[] } }[];
        };
        if (!bulk) {
          arrivals.push({ at, to: input.Destination?.ToAddresses?.[0] ?? "" });
          return;
        }
        const output = JSON.parse(Buffer.concat(answer).toString("utf8") || "{}") as {
          BulkEmailEntryResults?: { Status?: string }[];
        };
        (output.BulkEmailEntryResults ?? []).forEach((r, i) => {
          if (r.Status === "SUCCESS")
            arrivals.push({ at, to: input.BulkEmailEntries?.[i]?.Destination?.ToAddresses?.[0] ?? "" });
        });
      });
      upRes.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
