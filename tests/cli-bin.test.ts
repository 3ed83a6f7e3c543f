import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";

// Every other CLI test runs `main(argv, io)` in process (tests/support/cli.ts). This one runs the
// installed command itself, `node_modules/.bin/bulletin` (what `npx bulletin` finds), so the
// package's bin link, the shebang, tsx's registration, the process's stdout and the stop on SIGTERM
// stay guarded.
const BIN = "node_modules/.bin/bulletin";
const SEED_004 = "samples/bulletins/004_c6f4c6a81dc11ba8.txt";

describe("the installed `bulletin` command", () => {
  let child: ChildProcess | undefined;
  afterEach(() => child?.kill("SIGTERM"));

  it("previews all three tiers on localhost, HTML and text, until stopped", async () => {
    child = spawn(BIN, ["preview", SEED_004, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = "";
      child!.stdout!.on("data", (d) => {
        seen += String(d);
        const m = /(http:\/\/localhost:\d+\/)/.exec(seen);
        if (m) resolve(m[1]!);
      });
      child!.once("error", reject);
      child!.once("exit", (code) => reject(new Error(`preview exited with ${code}`)));
    });
    const index = await (await fetch(url)).text();
    for (const tier of ["report", "distribute", "copy"]) expect(index).toContain(`/${tier}.html`);
    const html = await fetch(`${url}report.html`);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await html.text()).toContain("今年信息通信行业将办好十件实事");
    expect(await (await fetch(`${url}copy.txt`)).text()).toContain("通信行业简报（抄送）");
    expect((await fetch(`${url}nope`)).status).toBe(404);
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
