// A loopback proxy in front of SES, in a process of its own, that records when each SendEmail that
// SES accepted *arrived*. It runs apart from the service so that the service's own event loop (and
// its GC pauses) cannot hold up the recording: what it sees is what a separate SES would see.
// Started by recording-proxy.ts with the SES emulator's URL; answers {port} once listening, and
// {accepted: number[]} to any message.
import { createServer, request } from "node:http";

const target = process.argv[2];
const accepted = [];
const server = createServer((req, res) => {
  const arrived = Date.now();
  const up = request(new URL(req.url ?? "/", target), { method: req.method, headers: req.headers }, (upRes) => {
    if (upRes.statusCode === 200 && req.url?.includes("/outbound-emails")) accepted.push(arrived);
    res.writeHead(upRes.statusCode ?? 502, upRes.headers);
    upRes.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));
process.on("message", () => process.send({ accepted: accepted.splice(0) }));
process.on("disconnect", () => process.exit(0));
