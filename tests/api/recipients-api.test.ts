import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Recipient } from "@bulletin/core";
import { encodeGbk } from "../../packages/core/src/text/gbk.test-support.ts";
import { startTestService } from "../support/service.ts";

let ctx: Awaited<ReturnType<typeof startTestService>>;
beforeAll(async () => {
  ctx = await startTestService();
});
afterAll(async () => ctx?.service.stop());
const csv = (body: string) => ({
  role: "admin" as const,
  method: "POST",
  headers: { "content-type": "text/csv" },
  body,
});

describe("/api/recipients", () => {
  it("lists the sample 报 recipients loaded on first start, a page at a time", async () => {
    const sample = readFileSync("samples/recipients.csv", "utf8").trim().split("\n").slice(1);
    const reportRows = sample.filter((l) => l.split(",")[3] === "report").length;
    const first = (await (await ctx.api("/api/recipients?tier=report&limit=5", { role: "viewer" })).json()) as {
      items: Recipient[];
      cursor?: string;
    };
    expect(first.items).toHaveLength(5);
    expect(first.cursor).toBeDefined();
    const rest = (await (
      await ctx.api(`/api/recipients?tier=report&limit=100&cursor=${encodeURIComponent(first.cursor!)}`, {
        role: "viewer",
      })
    ).json()) as { items: Recipient[] };
    const all = [...first.items, ...rest.items];
    expect(all).toHaveLength(reportRows);
    expect(new Set(all.map((r) => r.email)).size).toBe(reportRows);
    expect(all.every((r) => r.tier === "report" && r.status === "active")).toBe(true);
    const found = (await (
      await ctx.api(`/api/recipients?q=${encodeURIComponent("通信管理局")}`, { role: "viewer" })
    ).json()) as { items: Recipient[] };
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((r) => `${r.email}${r.name}${r.organization}`.includes("通信管理局"))).toBe(true);
  });

  it("imports CSV: good rows in, every bad row reported with its line, a second import changes nothing", async () => {
    const file = [
      "email,name,organization,tier,role",
      "new1@bohao.example.com,联系人一,博浩科技,发,会员单位",
      "bad-address,联系人二,博浩科技,distribute,会员单位",
      "new3@bohao.example.com,联系人三,博浩科技,vip,会员单位",
      '"new4@bohao.example.com","注入\r\nBcc: victim@example.net",博浩科技,送,相关单位',
      "new1@bohao.example.com,重复,博浩科技,发,会员单位",
    ].join("\n");
    const report = (await (await ctx.api("/api/recipients/import", csv(file))).json()) as {
      created: number;
      rejected: { line: number; reason: string }[];
    };
    expect(report.created).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5, 7]);
    const again = (await (await ctx.api("/api/recipients/import", csv(file))).json()) as {
      created: number;
      unchanged: number;
    };
    expect(again).toMatchObject({ created: 0, unchanged: 1 });
  });

  it("changes and deletes a recipient; an import never brings an unsubscribed one back", async () => {
    const email = "member@bohao.example.com";
    const patched = await ctx.api(`/api/recipients/${email}`, {
      role: "admin",
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "unsubscribed", tier: "copy" }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ email, status: "unsubscribed", tier: "copy" });
    const reimport = (await (
      await ctx.api("/api/recipients/import", csv(readFileSync("samples/recipients.csv", "utf8")))
    ).json()) as { created: number; skipped: { email: string; reason: string }[] };
    expect(reimport.created).toBe(0);
    expect(reimport.skipped).toContainEqual(expect.objectContaining({ email, reason: "unsubscribed" }));
    const now = (await (await ctx.api(`/api/recipients?q=${email}`, { role: "viewer" })).json()) as {
      items: Recipient[];
    };
    expect(now.items[0]).toMatchObject({ status: "unsubscribed", tier: "copy" });

    const injected = await ctx.api(`/api/recipients/${email}`, {
      role: "admin",
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x\r\nBcc: y@example.net" }),
    });
    expect(injected.status).toBe(400);
    expect((await ctx.api(`/api/recipients/${email}`, { role: "admin", method: "DELETE" })).status).toBe(204);
    expect((await ctx.api(`/api/recipients/${email}`, { role: "admin", method: "DELETE" })).status).toBe(404);
    expect(
      (
        await ctx.api("/api/recipients/nobody@example.com", {
          role: "admin",
          method: "PATCH",
          headers: { "content-type": "application/json" },
          body: '{"name":"x"}',
        })
      ).status,
    ).toBe(404);
  });

  it("reads a GBK CSV by its bytes or its declared charset, and refuses one it cannot read without storing anything", async () => {
    const file = Buffer.from(
      encodeGbk("email,name,organization,tier,role\ngbk1@bohao.example.com,王小明,博浩科技,发,会员单位\n"),
    );
    const detected = await ctx.api("/api/recipients/import", { ...csv(""), body: file });
    expect(await detected.json()).toMatchObject({ created: 1, rejected: [] });
    expect((await ctx.service.deps.recipients.get("gbk1@bohao.example.com"))?.name).toBe("王小明");
    const declared = await ctx.api("/api/recipients/import", {
      ...csv(""),
      headers: { "content-type": "text/csv; charset=GBK" },
      body: file,
    });
    expect(await declared.json()).toMatchObject({ created: 0, unchanged: 1 });
    // Declared UTF-8, but GBK bytes: refused with where, not imported as "��".
    const wrong = await ctx.api("/api/recipients/import", {
      ...csv(""),
      headers: { "content-type": "text/csv; charset=utf-8" },
      body: Buffer.from(encodeGbk("email,name,organization,tier,role\ngbk2@bohao.example.com,李四,博浩科技,发,\n")),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "text.invalid", message: expect.stringMatching(/line 2/) });
    const garbled = await ctx.api(
      "/api/recipients/import",
      csv("email,name,organization,tier,role\ngbk3@bohao.example.com,\uFFFD\uFFFD,博浩科技,发,\n"),
    );
    expect(await garbled.json()).toMatchObject({ error: "text.replacement-char" });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("email,name,organization,tier,role\r\ngbk4@bohao.example.com,赵六,博浩科技,送,\r\n", "utf16le"),
    ]);
    expect(await (await ctx.api("/api/recipients/import", { ...csv(""), body: utf16 })).json()).toMatchObject({
      created: 1,
    });
    for (const email of ["gbk2@bohao.example.com", "gbk3@bohao.example.com"])
      expect(await ctx.service.deps.recipients.get(email)).toBeNull();
    expect((await ctx.service.deps.recipients.get("gbk4@bohao.example.com"))?.name).toBe("赵六");
  });

  it("exports CSV that imports back unchanged", async () => {
    const res = await ctx.api("/api/recipients/export", { role: "viewer" });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const exported = await res.text();
    expect(exported.split("\n")[0]).toMatch(/^email,name,organization,tier,role/);
    const back = (await (await ctx.api("/api/recipients/import", csv(exported))).json()) as {
      created: number;
      updated: number;
      rejected: unknown[];
    };
    expect(back).toMatchObject({ created: 0, updated: 0, rejected: [] });
  });
});
