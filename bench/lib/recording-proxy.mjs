// A loopback proxy in front of SES (or DynamoDB), in a process of its own, that records when each
// message SES accepted *arrived* (a SendBulkEmail call counts once per destination it accepted), and
// counts the requests by operation. It runs apart from the service so that the service's own event
// loop (and its GC pauses) cannot hold up the recording: what it sees is what a separate SES would
// see. Started by recording-proxy.ts with the target's URL; answers {port} once listening, and
// {accepted: number[], acceptedTo: string[], operations: {[op]: n}} to any message (and starts
// afresh): acceptedTo[i] is the recipient of the message that arrived at accepted[i].
import { createServer, request } from "node:http";

const target = process.argv[2];
let accepted = [];
let acceptedTo = [];
let operations = {};
const server = createServer((req, res) => {
  const arrived = Date.now();
  const path = (req.url ?? "/").split("?")[0];
  const op =
    String(req.headers["x-amz-target"] ?? "")
      .split(".")
      .pop() || `${req.method} ${path}`;
  operations[op] = (operations[op] ?? 0) + 1;
  // The request's destinations, in the order of SES's answers (read as the body streams through).
  const sent = [];
  const up = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (upRes) => {
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    const bulk = path.endsWith("/outbound-bulk-emails");
    if (upRes.statusCode === 200 && (bulk || path.endsWith("/outbound-emails"))) {
      const chunks = [];
      upRes.on("data", (c) => chunks.push(c));
      upRes.on("end", () => {
        const input = JSON.parse(Buffer.concat(sent).toString("utf8") || "{}");
        if (!bulk) {
          accepted.push(arrived);
          acceptedTo.push(input.Destination?.ToAddresses?.[0] ?? "");
          return;
        }
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        (body.BulkEmailEntryResults ?? []).forEach((r, i) => {
          if (r.Status !== "SUCCESS") return;
          accepted.push(arrived);
          acceptedTo.push(input.BulkEmailEntries?.[i]?.Destination?.ToAddresses?.[0] ?? "");
        });
      });
    }
    upRes.pipe(res);
  });
  req.on("data", (c) => sent.push(c));
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", () => {
  process.send({ accepted, acceptedTo, operations });
  accepted = [];
  acceptedTo = [];
  operations = {};
});
process.on("disconnect", () => process.exit(0));
