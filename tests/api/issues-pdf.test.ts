import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSentEmails } from "@bulletin/emulators";
import sharp from "sharp";
import { FEATURE_FIGURES, featuresWithFigure } from "../expected/pdf-features.ts";
import { chromiumAvailable } from "../support/chromium.ts";
import { runCli } from "../support/cli.ts";
import { bulletinPdf, closePdfBrowser, TYPOGRAPHIES } from "../support/pdf-fixtures.ts";
import { startTestService } from "../support/service.ts";

// The bulletin PDF through the API on the local stack: imported from the body or from an upload,
// kept with its issue, served at /archive/<id>/original.pdf and linked from the email and the web
// version; an issue imported from text has no such link.
let ctx: Awaited<ReturnType<typeof startTestService>>;
let pdf: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  ctx = await startTestService();
  pdf = await bulletinPdf(featuresWithFigure("featuresSans"), TYPOGRAPHIES.featuresSans);
}, 120_000);
afterAll(async () => {
  await closePdfBrowser();
  await ctx?.service.stop();
});

interface Created {
  id: string;
  format: string;
  label: string;
  original?: { size: number };
  articles: number;
  imagesSkipped?: number;
  outline: {
    sections: {
      name: string | null;
      articles: { title: string; kicker?: string; subtitle?: string; authors: string[] }[];
    }[];
  };
}

describe.skipIf(!chromiumAvailable)("POST /api/issues with the bulletin PDF", () => {
  let created: Created;
  beforeAll(async () => {
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdf,
    });
    expect(res.status).toBe(201);
    created = (await res.json()) as Created;
  });

  it("imports it to the Issue JSON, with the masthead and the photo as a figure of its article", async () => {
    expect(created).toMatchObject({
      format: "pdf",
      articles: 4,
      original: { size: pdf.length },
      label: "山西通信 2026年第1期（总第213期）",
    });
    expect(created.imagesSkipped).toBeUndefined();
    expect(created.outline.sections[0]!.articles[0]).toMatchObject({
      kicker: "山西省通信行业协会",
      subtitle: "审议通过年度工作报告和财务报告",
    });
    expect(created.outline.sections[1]!.articles[0]).toMatchObject({ title: "春到太行", figures: 1 });
    const stored = (await (await ctx.api(`/api/issues/${created.id}`, { role: "viewer" })).json()) as {
      issue: unknown;
    };
    expect(stored.issue).toEqual(featuresWithFigure("featuresSans"));
  });

  it("serves the photo's picture beside the original, as a JPEG with cache headers and the issue's visibility", async () => {
    const res = await fetch(`${ctx.service.url}/archive/${created.id}/images/1.jpg`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=\d{5,}$/);
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    expect(await sharp(Buffer.from(await res.arrayBuffer())).metadata()).toMatchObject({
      format: "jpeg",
      width: 240,
      height: 160,
    });
    expect(readdirSync(join(ctx.dataDir, "files", "issues", created.id, "images"))).toEqual(["1.jpg"]);
    for (const missing of ["2.jpg", "0.jpg", "1.png", "..%2Foriginal.pdf"])
      expect((await fetch(`${ctx.service.url}/archive/${created.id}/images/${missing}`)).status).toBe(404);
    // Published, it may be indexed like the web version.
    await ctx.api(`/api/issues/${created.id}/public`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"public":true}',
    });
    expect(
      (await fetch(`${ctx.service.url}/archive/${created.id}/images/1.jpg`)).headers.get("x-robots-tag"),
    ).toBeNull();
    await ctx.api(`/api/issues/${created.id}/public`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"public":false}',
    });
  });

  it("shows the photo in the email and the web version, after its paragraph, with its caption", async () => {
    const picture = `${ctx.service.url}/archive/${created.id}/images/1.jpg`;
    const email = await (await ctx.api(`/api/issues/${created.id}/preview/distribute`, { role: "viewer" })).text();
    const web = await (await fetch(`${ctx.service.url}/archive/${created.id}`)).text();
    for (const html of [email, web]) {
      const at = html.indexOf(`src="${picture}"`);
      expect(at).toBeGreaterThan(html.indexOf("过去一年，公司在太行山区"));
      expect(html.indexOf("过去一年，公司在太行山区")).toBeGreaterThan(0);
      expect(at).toBeLessThan(html.indexOf("二、服务温度再提升"));
      expect(html.slice(at, at + 400)).toContain('alt="基站维护人员在巡检"');
      expect(html.slice(at, at + 700)).toMatch(/<p class="caption"[^>]*>基站维护人员在巡检<\/p>/);
    }
  });

  it("keeps the original and serves it at /archive/<id>/original.pdf, byte for byte, to whoever has the link", async () => {
    const res = await fetch(`${ctx.service.url}/archive/${created.id}/original.pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(
      /^inline; filename="bulletin.pdf"; filename\*=UTF-8''%E5%B1%B1/,
    );
    // Unpublished: like the web version, reachable by its link but not indexed.
    expect(res.headers.get("x-robots-tag")).toBe("noindex");
    // Compared as bytes: a deep equality of half a million elements would stall the test for seconds.
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(pdf))).toBe(true);
  });

  it("links it from the email and the web version (下载 PDF 原版)", async () => {
    const original = `${ctx.service.url}/archive/${created.id}/original.pdf`;
    const email = await (await ctx.api(`/api/issues/${created.id}/preview/report`, { role: "viewer" })).text();
    expect(email).toContain(`href="${original}">下载 PDF 原版</a>`);
    const web = await (await fetch(`${ctx.service.url}/archive/${created.id}`)).text();
    expect(web).toContain(`href="${original}">下载 PDF 原版</a>`);
  });

  it("sends it with the link: a test send's email carries 下载 PDF 原版", async () => {
    const to = "pdf-test@example.org";
    const res = await ctx.api(`/api/issues/${created.id}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ only: [to], test: true }),
    });
    expect(res.status).toBeLessThan(300);
    const original = `${ctx.service.url}/archive/${created.id}/original.pdf`;
    let email: { html?: string; text?: string } | undefined;
    for (let i = 0; i < 100 && !email; i++) {
      await new Promise((r) => setTimeout(r, 100));
      email = (await readSentEmails(ctx.service.stack)).find((e) => e.destination.to.includes(to))?.body;
    }
    expect(email?.html).toContain(`href="${original}">下载 PDF 原版</a>`);
  });

  it("imports a large PDF from an upload: a URL for its size, a PUT, then {upload}", async () => {
    const ticket = await ctx.api("/api/uploads", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ contentType: "application/pdf", size: pdf.length, name: "2026-01.pdf" }),
    });
    expect(ticket.status).toBe(201);
    const t = (await ticket.json()) as {
      key: string;
      url: string;
      method: string;
      headers: Record<string, string>;
      expiresAt: string;
      maxSize: number;
    };
    expect(t).toMatchObject({ method: "PUT", maxSize: 30 * 1024 * 1024 });
    expect(Date.parse(t.expiresAt)).toBeGreaterThan(Date.now());
    expect((await fetch(t.url, { method: t.method, headers: t.headers, body: pdf })).status).toBe(200);
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upload: t.key }),
    });
    expect(res.status).toBe(201);
    const fromUpload = (await res.json()) as Created;
    expect(fromUpload).toMatchObject({ format: "pdf", original: { size: pdf.length } });
    // The upload became the issue's original, and is gone from the uploads.
    const files = readdirSync(join(ctx.dataDir, "files"), { recursive: true }).map(String);
    expect(files).toContain(join("issues", fromUpload.id, "original.pdf"));
    expect(files.filter((f) => f.startsWith("uploads") && f.endsWith(".pdf"))).toEqual([]);
    const again = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upload: t.key }),
    });
    expect(again.status).toBe(400);
  });

  it("reads the same PDF from the command line, with --json and --out", async () => {
    const file = join(ctx.dataDir, "files", "issues", created.id, "original.pdf");
    const outline = await runCli(["import", file]);
    expect(outline.code).toBe(0);
    expect(outline.out).toContain("original.pdf: 2 sections, 4 articles, 12 paragraphs (pdf)");
    expect(outline.out).toContain("刊头 masthead: 山西通信 · 2026年第1期（总第213期） · 2026年1月26日");
    expect(outline.out).toContain("1 图 photo(s): after ¶3 基站维护人员在巡检");
    const json = await runCli(["import", file, "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual(featuresWithFigure("featuresSans"));
    // --out writes Markdown to correct by hand, which imports back to the same issue.
    const md = join(ctx.dataDir, "2026-01.md");
    expect((await runCli(["import", file, "--out", md])).code).toBe(0);
    const back = await runCli(["import", md, "--json"]);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.out)).toEqual(featuresWithFigure("featuresSans"));
    // The photo beside it, where the Markdown's ![…](images/1.jpg …) finds it.
    expect((await sharp(join(ctx.dataDir, "images", "1.jpg")).metadata()).width).toBe(
      FEATURE_FIGURES.featuresSans.figure.width,
    );
  });

  it("lets the secretariat edit the photo's caption and remove it: the email and the archive follow", async () => {
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/pdf" },
      body: pdf,
    });
    const { id } = (await res.json()) as Created;
    const figure = `/api/issues/${id}/figures/3/0`;
    const json = { "content-type": "application/json" };
    expect(
      (await ctx.api(figure, { role: "viewer", method: "PATCH", headers: json, body: '{"caption":"x"}' })).status,
    ).toBe(403);
    expect(
      (await ctx.api(figure, { role: "secretariat", method: "PATCH", headers: json, body: '{"alt":""}' })).status,
    ).toBe(400);
    expect(
      (await ctx.api(figure, { role: "secretariat", method: "PATCH", headers: json, body: '{"caption":"一\\n二"}' }))
        .status,
    ).toBe(400);
    expect(
      (
        await ctx.api(`/api/issues/${id}/figures/1/0`, {
          role: "secretariat",
          method: "PATCH",
          headers: json,
          body: '{"caption":"x"}',
        })
      ).status,
    ).toBe(404);
    const edited = await ctx.api(figure, {
      role: "secretariat",
      method: "PATCH",
      headers: json,
      body: JSON.stringify({ alt: "巡检", caption: "维护人员检查基站 <设备>" }),
    });
    expect(edited.status).toBe(200);
    const preview = async () => (await ctx.api(`/api/issues/${id}/preview/copy`, { role: "viewer" })).text();
    expect(await preview()).toMatch(/<p class="caption"[^>]*>维护人员检查基站 &lt;设备&gt;<\/p>/);
    expect((await ctx.api(figure, { role: "secretariat", method: "DELETE" })).status).toBe(200);
    const after = await preview();
    expect(after).not.toContain("/images/1.jpg");
    expect(after).not.toContain('class="caption"');
    expect((await fetch(`${ctx.service.url}/archive/${id}/images/1.jpg`)).status).toBe(404);
    expect((await ctx.api(figure, { role: "secretariat", method: "DELETE" })).status).toBe(404);
  });

  it("embeds the photo as an inline attachment when the settings say so, and the dry run warns of an email over 1.5 MB", async () => {
    const json = { "content-type": "application/json" };
    const { id } = (await (
      await ctx.api("/api/issues", {
        role: "secretariat",
        method: "POST",
        headers: { "content-type": "application/pdf" },
        body: pdf,
      })
    ).json()) as Created;
    const { settings } = (await (await ctx.api("/api/settings", { role: "viewer" })).json()) as {
      settings: Record<string, unknown>;
    };
    expect(
      (
        await ctx.api("/api/settings", {
          role: "admin",
          method: "PUT",
          headers: json,
          body: JSON.stringify({ ...settings, images: "inline" }),
        })
      ).status,
    ).toBe(200);
    try {
      const to = "inline-photo@example.org";
      expect(
        (
          await ctx.api(`/api/issues/${id}/sends`, {
            role: "secretariat",
            method: "POST",
            headers: json,
            body: JSON.stringify({ only: [to], test: true }),
          })
        ).status,
      ).toBeLessThan(300);
      let sent: Awaited<ReturnType<typeof readSentEmails>>[number] | undefined;
      for (let i = 0; i < 100 && !sent; i++) {
        await new Promise((r) => setTimeout(r, 100));
        sent = (await readSentEmails(ctx.service.stack)).find((e) => e.destination.to.includes(to));
      }
      expect(sent?.body.html).toContain('src="cid:figure-1@bulletin"');
      expect(sent?.body.html).not.toContain("/images/1.jpg");
      const [attachment] = sent!.attachments as unknown as {
        content: string;
        contentType: string;
        contentId: string;
        contentDisposition: string;
      }[];
      expect(attachment).toMatchObject({
        contentType: "image/jpeg",
        contentId: "figure-1@bulletin",
        contentDisposition: "INLINE",
      });
      const stored = join(ctx.dataDir, "files", "issues", id, "images", "1.jpg");
      expect(Buffer.from(attachment!.content, "base64").equals(readFileSync(stored))).toBe(true);
      const dryRun = async () =>
        (
          (await (
            await ctx.api(`/api/issues/${id}/sends`, {
              role: "secretariat",
              method: "POST",
              headers: json,
              body: JSON.stringify({ dryRun: true, confirmNoNumber: true }),
            })
          ).json()) as { warnings: string[] }
        ).warnings;
      expect(await dryRun()).not.toContain("send.email-too-heavy");
      // A photo of 1.2 MB is 1.6 MB in base64: too heavy for some mailboxes.
      writeFileSync(stored, Buffer.concat([readFileSync(stored), Buffer.alloc(1_200_000)]));
      expect(await dryRun()).toContain("send.email-too-heavy");
    } finally {
      await ctx.api("/api/settings", { role: "admin", method: "PUT", headers: json, body: JSON.stringify(settings) });
    }
  });

  it("refuses Issue JSON whose figure names an own image it does not have, and keeps nothing", async () => {
    const issue = featuresWithFigure("featuresSans");
    const before = readdirSync(join(ctx.dataDir, "files", "issues")).length;
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(issue),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "issue.figure-src" });
    expect(readdirSync(join(ctx.dataDir, "files", "issues")).length).toBe(before);
    // By its https URL, a picture from elsewhere is taken.
    const remote = {
      ...issue,
      sections: issue.sections.map((s) => ({
        ...s,
        articles: s.articles.map((a) =>
          a.figures ? { ...a, figures: a.figures.map((f) => ({ ...f, src: "https://cdn.example.org/p.jpg" })) } : a,
        ),
      })),
    };
    expect(
      (
        await ctx.api("/api/issues", {
          role: "secretariat",
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(remote),
        })
      ).status,
    ).toBe(201);
  });
});

describe("an issue imported from text", () => {
  it("has no original PDF and no link to one", async () => {
    const text = "【协会消息】\n标题一\n正文第一段。\n报：中国通信企业协会\n";
    const res = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: text,
    });
    const { id, original } = (await res.json()) as Created;
    expect(original).toBeUndefined();
    expect((await fetch(`${ctx.service.url}/archive/${id}/original.pdf`)).status).toBe(404);
    expect(await (await fetch(`${ctx.service.url}/archive/${id}`)).text()).not.toContain("下载 PDF 原版");
  });
});
