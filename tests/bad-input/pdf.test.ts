import { readdirSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumAvailable } from "../support/chromium.ts";
import { runCli } from "../support/cli.ts";
import { damagedPdf, encryptedPdf, englishPdf, oversizePdf, scanPdf } from "../support/bad-pdfs.ts";
import { closePdfBrowser } from "../support/pdf-fixtures.ts";
import { startTestService } from "../support/service.ts";

// Every bad PDF, every way in: the CLI exits 1 with one line on stderr, the API answers 400 or 413
// with {error, message}, the dashboard says why in Chinese, and nothing is stored.
const cases = [
  {
    name: "encrypted",
    make: async () => encryptedPdf(),
    code: "import.pdf-encrypted",
    status: 400,
    cli: /password/,
    zh: /设置了打开密码/,
  },
  {
    name: "damaged",
    make: async () => damagedPdf(),
    code: "import.pdf-damaged",
    status: 400,
    cli: /damaged/,
    zh: /已损坏/,
  },
  {
    name: "over 30 MB",
    make: async () => oversizePdf(),
    code: "import.too-large",
    status: 413,
    cli: /larger than 30 MB/,
    zh: /超过 30 MB/,
  },
  {
    name: "a scan",
    make: scanPdf,
    code: "import.pdf-no-text",
    status: 400,
    cli: /scans are not supported/,
    zh: /扫描件/,
    browser: true,
  },
  {
    name: "not a bulletin",
    make: englishPdf,
    code: "import.not-a-bulletin",
    status: 400,
    cli: /not a bulletin/,
    zh: /看起来不是简报/,
    browser: true,
  },
] as const;
const runnable = cases.filter((c) => chromiumAvailable || !("browser" in c));

let ctx: Awaited<ReturnType<typeof startTestService>>;
let dataDir: string;
const pdfs = new Map<string, Uint8Array<ArrayBuffer>>();
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "bulletin-badpdf-"));
  ctx = await startTestService({ DATA_DIR: dataDir });
  for (const c of runnable) pdfs.set(c.name, await c.make());
  session = await signIn();
}, 120_000);
afterAll(async () => {
  await closePdfBrowser();
  await ctx?.service.stop();
});

const issueCount = async () =>
  ((await (await ctx.api("/api/issues?limit=100", { role: "viewer" })).json()) as { items: unknown[] }).items.length;
const storedFiles = () => {
  try {
    return readdirSync(join(dataDir, "files"), { recursive: true }).filter((f) => String(f).endsWith(".pdf"));
  } catch {
    return [];
  }
};

/** A secretariat's dashboard session, signed in through the form as a browser is. */
async function signIn() {
  const res = await fetch(`${ctx.service.url}/admin/login`, {
    method: "POST",
    body: new URLSearchParams({ token: ctx.tokens.secretariat }),
    redirect: "manual",
  });
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  const page = await (await fetch(`${ctx.service.url}/admin/import`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page)![1]! };
}
let session: { cookie: string; csrf: string };

describe.each(runnable)("a PDF that is $name", (c) => {
  it("fails the CLI with exit 1 and one line on stderr", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "bulletin-badpdf-cli-")), "bulletin.pdf");
    writeFileSync(path, pdfs.get(c.name)!);
    const { code, out, err } = await runCli(["import", path]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trimEnd().split("\n")).toHaveLength(1);
    expect(err).toMatch(c.cli);
  });

  it(`is refused by POST /api/issues with ${c.status} and its code, and nothing is stored`, async () => {
    const before = await issueCount();
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdfs.get(c.name)!,
    });
    expect(res.status).toBe(c.status);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe(c.code);
    expect(body.message.length).toBeGreaterThan(10);
    expect(await issueCount()).toBe(before);
    expect(storedFiles()).toEqual([]);
  });

  it("is refused through an upload too, and the upload is deleted", async () => {
    const bytes = pdfs.get(c.name)!;
    const ticket = await ctx.api("/api/uploads", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contentType: "application/pdf", size: bytes.length }),
    });
    if (c.status === 413) {
      expect(ticket.status).toBe(413);
      return;
    }
    const { key, url, headers } = (await ticket.json()) as {
      key: string;
      url: string;
      headers: Record<string, string>;
    };
    expect((await fetch(url, { method: "PUT", headers, body: bytes })).status).toBe(200);
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upload: key }),
    });
    expect(res.status).toBe(c.status);
    expect(((await res.json()) as { error: string }).error).toBe(c.code);
    expect(storedFiles()).toEqual([]);
  });
  it("is refused on the dashboard's import page with the reason in Chinese, and nothing is stored", async () => {
    const before = await issueCount();
    const form = new FormData();
    form.set("_csrf", session.csrf);
    form.set("file", new Blob([pdfs.get(c.name)!], { type: "application/pdf" }), "简报.pdf");
    const res = await fetch(`${ctx.service.url}/admin/import`, {
      method: "POST",
      headers: { cookie: session.cookie },
      body: form,
      redirect: "manual",
    });
    expect(res.status).toBe(c.status);
    const page = await res.text();
    expect(page).toMatch(c.zh);
    // The reason, not the importer's English message.
    expect(page).not.toMatch(/this PDF|not a bulletin/);
    expect(await issueCount()).toBe(before);
    expect(storedFiles()).toEqual([]);
  });
});

describe("the import API's own refusals", () => {
  it("answers 415 for a body that is not a PDF, text, Markdown or JSON", async () => {
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/msword" },
      body: "x",
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: "unsupported-media-type" });
  });

  it("answers 400 for an upload key it never gave, and 401/403 for an upload without a token or the role", async () => {
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upload: "uploads/../../admin-token" }),
    });
    expect(res.status).toBe(400);
    const gone = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upload: "uploads/00000000-0000-0000-0000-000000000000.pdf" }),
    });
    expect(gone.status).toBe(400);
    expect(await gone.json()).toMatchObject({ error: "upload.not-found" });
    const ask = {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contentType: "application/pdf", size: 100 }),
    };
    expect((await ctx.api("/api/uploads", ask)).status).toBe(401);
    expect((await ctx.api("/api/uploads", { ...ask, role: "viewer" })).status).toBe(403);
  });

  it("keeps an upload to the size it was signed for, before its expiry, with its signature", async () => {
    const ticket = await ctx.api("/api/uploads", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contentType: "application/pdf", size: 10 }),
    });
    const { url, headers } = (await ticket.json()) as { url: string; headers: Record<string, string> };
    expect((await fetch(url, { method: "PUT", headers, body: "%PDF-1.7\n" })).status).toBe(400);
    const forged = url.replace(/sig=[^&]+/, "sig=AAAA");
    expect((await fetch(forged, { method: "PUT", headers, body: "%PDF-1.7\nx" })).status).toBe(403);
    const longer = url.replace(/size=10/, "size=20");
    expect((await fetch(longer, { method: "PUT", headers, body: "%PDF-1.7\n0123456789" })).status).toBe(403);
    expect(storedFiles()).toEqual([]);
  });
});
