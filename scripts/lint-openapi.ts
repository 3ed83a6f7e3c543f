// npm run lint:openapi — lints the OpenAPI document the app serves with Redocly's recommended rules
// (redocly.yaml), as a client generator would read it.
//
// The document is read off the app itself (GET /api/openapi.json on in-memory dependencies), so no
// emulator starts and the linted document is exactly the served one. Redocly runs offline: its
// telemetry and its update check (both network calls) are off.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createApp } from "@bulletin/api";
import { inMemoryApiDeps } from "@bulletin/api/testing/in-memory-api-deps";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const res = await createApp(inMemoryApiDeps()).request("/api/openapi.json");
if (res.status !== 200) {
  process.stderr.write(`lint:openapi: GET /api/openapi.json answered ${res.status}: ${await res.text()}\n`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), "bulletin-openapi-"));
const file = join(dir, "openapi.json");
writeFileSync(file, JSON.stringify(await res.json(), null, 2));
const result = spawnSync(
  join(root, "node_modules", ".bin", "redocly"),
  ["lint", file, "--config", join(root, "redocly.yaml"), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  },
);
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
