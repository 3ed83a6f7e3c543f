import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken, newTokenSecret } from "@bulletin/api";
import { readSentEmails } from "@bulletin/emulators";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";

let service: LocalService;
let token: string;
const api = (path: string, init: RequestInit = {}) =>
  fetch(`${service.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(init.headers as Record<string, string> | undefined),
    },
  });

async function sendAll(issueId: string) {
  const { sendId } = (await (
    await api(`/api/issues/${issueId}/sends`, { method: "POST", body: JSON.stringify({ confirmNoNumber: true }) })
  ).json()) as { sendId: string };
  for (let i = 0; i < 300; i++) {
    const s = (await (await api(`/api/sends/${sendId}`)).json()) as { status: string; totals: Record<string, number> };
    if (s.status === "finished") return { sendId, ...s };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("send did not finish");
}

beforeAll(async () => {
  service = await startLocalService(
    readLocalConfig(
      {
        LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
        PORT: "0",
        LOCAL_SES_PORT: "0",
        DATA_DIR: mkdtempSync(join(tmpdir(), "bulletin-unsub-")),
        SEND_RATE: "50",
        LOCAL_SES_EVENTS: "off",
      },
      [],
    ),
  );
  token = newTokenSecret();
  await service.deps.tokens.create({
    hash: hashToken(token),
    role: "admin",
    label: "test",
    createdAt: new Date().toISOString(),
  });
});
afterAll(async () => service?.stop());

describe("one-click unsubscribe and the web version", () => {
  it("unsubscribes from the email's own link (RFC 8058), refuses a tampered one, and the next send skips the address", async () => {
    const issueId = (await service.deps.issues.list()).items[0]!.id;
    await sendAll(issueId);
    const email = (await readSentEmails(service.stack)).find(
      (e) => e.destination.to[0] === "member@bohao.example.com",
    )!;
    const header = email.headers!.find((h) => h.name === "List-Unsubscribe")!.value;
    const url = /<(http[^>]+)>/.exec(header)![1]!;
    expect(email.body.html).toContain(url.replace(/&/g, "&amp;"));

    const confirm = await fetch(url);
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    expect(page).toContain("确认退订");
    expect(page).toContain("member@bohao.example.com");

    const tampered = url.replace(
      /\/u\/([\w-]+)\./,
      (_m, p: string) =>
        `/u/${Buffer.from(Buffer.from(p, "base64url").toString().replace("member", "vp")).toString("base64url")}.`,
    );
    const refused = await fetch(tampered, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(refused.status).toBe(400);
    expect((await service.deps.recipients.get("vp@sx-mobile.example.com"))!.status).toBe("active");

    const done = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("已退订");
    expect((await service.deps.recipients.get("member@bohao.example.com"))!.status).toBe("unsubscribed");

    // The next issue goes to everyone else, not to the address that left.
    const sample = readFileSync("samples/bulletins/000_72499c077e53a44e.txt", "utf8");
    const created = (await (
      await api("/api/issues", { method: "POST", headers: { "content-type": "text/plain" }, body: sample })
    ).json()) as { id: string };
    const next = await sendAll(created.id);
    expect(next.totals).toMatchObject({ sent: 27, skipped: 1 });
    const skipped = (await (await api(`/api/sends/${next.sendId}/deliveries?status=skipped`)).json()) as {
      items: { email: string; reason: string }[];
    };
    expect(skipped.items).toEqual([
      expect.objectContaining({ email: "member@bohao.example.com", reason: "unsubscribed" }),
    ]);

    // The unsubscribe also put the address on the suppression list: re-activating the recipient by
    // hand does not bring the emails back.
    await api("/api/recipients/member@bohao.example.com", {
      method: "PATCH",
      body: JSON.stringify({ status: "active" }),
    });
    const third = (await (
      await api("/api/issues", { method: "POST", headers: { "content-type": "text/plain" }, body: sample })
    ).json()) as { id: string };
    const after = await sendAll(third.id);
    const stillSkipped = (await (await api(`/api/sends/${after.sendId}/deliveries?status=skipped`)).json()) as {
      items: { email: string; reason: string }[];
    };
    expect(stillSkipped.items).toEqual([
      expect.objectContaining({ email: "member@bohao.example.com", reason: "suppressed" }),
    ]);
  }, 60_000);

  it("serves the web version the view-online link points to", async () => {
    const email = (await readSentEmails(service.stack))[0]!;
    const link = /href="(http:\/\/localhost:\d+\/archive\/[^"]+)"/.exec(email.body.html!)![1]!;
    const web = await fetch(link);
    expect(web.status).toBe(200);
    const body = await web.text();
    expect(body).toContain("这是本期简报的网页版。");
    expect(body).not.toMatch(/\/u\//);
    expect((await fetch(`${service.url}/archive/no-such-issue`)).status).toBe(404);
  });
});
