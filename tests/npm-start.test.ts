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
  // Not the test run's shared DynamoDB Local: npm start's own, with its data under DATA_DIR.
  child = spawn(process.execPath, ["scripts/start.mjs", ...args], {
    env: { ...process.env, PORT: "0", LOCAL_SES_PORT: "0", DATA_DIR: dataDir, LOCAL_DYNAMODB_URL: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`not up in 60 s:\n${out}`)), 60_000);
    child!.stdout!.on("data", (d) => {
      out += String(d);
      if (out.includes("Ctrl-C to stop")) {
        clearTimeout(timer);
        const get = (re: RegExp) => re.exec(out)?.[1] ?? "";
        resolve({
          out,
          url: get(/Health\s+(http:\/\/\S+)\/healthz/),
          token: get(/Admin token\s+(\S+)/),
          inbox: get(/Inbox \(SES emulator\)\s+(\S+)/),
        });
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
  const res = await fetch(`${url}/api/recipients?tier=report&limit=100`, {
    headers: { authorization: `Bearer ${token}` },
  });
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
    const removed = await fetch(`${first.url}/api/recipients/office@cace.example.org`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${first.token}` },
    });
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
  }, 180_000);

  it("without Java 17 (here: no java on the PATH) fails at once with one line saying what to install", () => {
    const r = spawnSync(process.execPath, ["scripts/start.mjs"], {
      encoding: "utf8",
      timeout: 30_000,
      env: {
        ...process.env,
        PATH: mkdtempSync(join(tmpdir(), "bulletin-nopath-")),
        PORT: "0",
        LOCAL_SES_PORT: "0",
        DATA_DIR: mkdtempSync(join(tmpdir(), "bulletin-nojava-")),
        LOCAL_DYNAMODB_URL: "",
      },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^npm start: DynamoDB Local needs Java 17\+, and `java` could not be run \(ENOENT\): install a JRE 17 or newer \(e\.g\. `apt-get install openjdk-17-jre-headless`\)$/,
      ),
    ]);
  });

  it("refuses an unknown option with one clear line", () => {
    const r = spawnSync(process.execPath, ["scripts/start.mjs", "--frsh"], {
      encoding: "utf8",
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("npm start: unknown option --frsh (npm start takes only --fresh)");
  });
});
