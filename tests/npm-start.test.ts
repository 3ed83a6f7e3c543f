import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const dataDir = mkdtempSync(join(tmpdir(), "bulletin-start-"));
let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

/** Runs `npm start`'s script with free ports; resolves with what it printed once it is up. */
function start(args: string[] = []): Promise<{ out: string; url: string; token: string; inbox: string }> {
  child = spawn(process.execPath, ["scripts/start.mjs", ...args], {
    env: { ...process.env, PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`not up in 20 s:\n${out}`)), 20_000);
    child!.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("Ctrl-C to stop")) {
        clearTimeout(timer);
        const get = (re: RegExp) => re.exec(out)?.[1] ?? "";
        resolve({ out, url: get(/Health\s+(http:\/\/\S+)\/healthz/), token: get(/Admin token\s+(\S+)/), inbox: get(/Inbox \(SES emulator\)\s+(\S+)/) });
      }
    });
    child!.stderr!.on("data", (d) => (out += String(d)));
    child!.once("exit", (code) => reject(new Error(`exited with ${code}:\n${out}`)));
  });
}

async function stop(): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
  child!.kill("SIGTERM");
  return exited;
}

const reportCount = async (url: string, token: string) => {
  const res = await fetch(`${url}/api/recipients?tier=report&limit=100`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { items: unknown[] }).items.length;
};

describe("npm start", () => {
  it("starts the stack with the samples, prints its URLs and token, keeps data across restarts, wipes it with --fresh", async () => {
    const first = await start();
    expect(first.out).toMatch(/Loaded the samples: 28 recipients and the sample bulletin/);
    expect(first.out).not.toMatch(/NodeVersionSupportWarning/);
    // The banner's line sets both variables the CLI needs.
    expect(first.out).toContain(`export BULLETIN_URL=${first.url} BULLETIN_TOKEN=${first.token}`);
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    expect((await fetch(first.inbox)).status).toBe(200);
    expect(await reportCount(first.url, first.token)).toBe(8);
    const removed = await fetch(`${first.url}/api/recipients/office@cace.example.org`, { method: "DELETE", headers: { authorization: `Bearer ${first.token}` } });
    expect(removed.status).toBe(204);
    expect(await stop()).toBe(0);

    const second = await start();
    expect(second.token).toBe(first.token);
    expect(second.out).not.toMatch(/Loaded the samples/);
    expect(await reportCount(second.url, second.token)).toBe(7);
    expect(await stop()).toBe(0);

    const fresh = await start(["--fresh"]);
    expect(fresh.out).toMatch(/Loaded the samples/);
    expect(fresh.token).not.toBe(first.token);
    expect(await reportCount(fresh.url, fresh.token)).toBe(8);
    expect(await stop()).toBe(0);
    expect(existsSync(join(dataDir, "dynamodb"))).toBe(true);
  }, 60_000);

  it("refuses an unknown option with one clear line", () => {
    const r = spawnSync(process.execPath, ["scripts/start.mjs", "--frsh"], { encoding: "utf8", env: { ...process.env, DATA_DIR: dataDir } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("npm start: unknown option --frsh (npm start takes only --fresh)");
  });
});
