// A loopback proxy in front of SES (or DynamoDB), in a process of its own, that records when each
// message SES accepted *arrived* (a SendBulkEmail call counts once per destination it accepted), and
// counts the requests by operation. It runs apart from the service so that the service's own event
// loop (and its GC pauses) cannot hold up the recording: what it sees is what a separate SES would
// see. Started by recording-proxy.ts with the target's URL; answers {port} once listening, and
// {accepted: number[], operations: {[op]: n}} to any message (and starts afresh).
import { createServer, request } from "node:http";

const target = process.argv[2];
let accepted = [];
let operations = {};
const server = createServer((req, res) => {
  const arrived = Date.now();
  const path = (req.url ?? "/").split("?")[0];
  const op = String(req.headers["x-amz-target"] ?? "").split(".").pop() || `${req.method} ${path}`;
  operations[op] = (operations[op] ?? 0) + 1;
  const up = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    if (upRes.statusCode === 200 && path.endsWith("/outbound-bulk-emails")) {
      const chunks = [];
      upRes.on("data", (c) => chunks.push(c));
      upRes.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        for (const r of body.BulkEmailEntryResults ?? []) if (r.Status === "SUCCESS") accepted.push(arrived);
      });
    } else if (upRes.statusCode === 200 && path.endsWith("/outbound-emails")) accepted.push(arrived);
    upRes.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", () => {
  process.send({ accepted, operations });
  accepted = [];
  operations = {};
});
process.on("disconnect", () => process.exit(0));
