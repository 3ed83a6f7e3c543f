// dynalite in a worker thread: its LevelDB and request handling get a core of their own, instead of
// sharing the app's event loop (plain JavaScript, so it loads the same under node, tsx and vitest).
import { parentPort, workerData } from "node:worker_threads";
import dynalite from "dynalite";

const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.once("error", (err) => parentPort.postMessage({ error: err.message, code: err.code }));
server.listen(workerData.port, workerData.host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on("message", (m) => {
  if (m !== "stop") return;
  // close() also closes LevelDB, which releases the directory lock for a restart.
  server.close(() => parentPort.postMessage({ stopped: true }));
  server.closeAllConnections?.();
});
