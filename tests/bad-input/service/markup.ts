import sax from "sax";
import { beforeAll, describe, expect, it } from "vitest";
import { signUnsubscribe } from "@bulletin/wiring";
import type { Issue } from "@bulletin/core";
import { MjmlRenderer } from "@bulletin/mjml";
import { MARKUP_PAYLOADS } from "../support/arbitraries.ts";
import { expectInert } from "../support/html.ts";
import type { SharedService, TestService } from "../support/shared-service.ts";

// Hostile markup typed into an issue, a recipient's name and organisation, a token's label and a
// suppression's detail, then every page that shows it parsed as a browser parses it (parse5): the
// email (HTML part, per tier, per recipient), its web version, the public archive and its feed, the
// API preview, every dashboard page, the unsubscribe page. packages/mjml's own test checks one
// payload by regular expression; here no element or attribute of any payload may exist in the parsed
// tree, and every payload must be readable as text.
const EVIL = MARKUP_PAYLOADS.join(" ");
const dirty = (label: string) => `${label} ${EVIL}`;
// A valid address can still hold ' & { } | (RFC 5322 atext): shown on pages, never as markup.
const ODD_EMAIL = "o'neil&{{evil}}|x@example.cn";
// Recipients' fields are limited (name 100, organisation 200, role 100): the payloads are spread over two.
const P = MARKUP_PAYLOADS;
const RECIPIENTS = [
  {
    email: "markup-1@example.cn",
    name: `${P[0]} ${P[1]}`,
    organization: `${P[2]} ${P[3]} ${P[4]}`,
    tier: "报",
    role: P[5],
  },
  {
    email: ODD_EMAIL,
    name: `${P[6]} ${P[7]}`,
    organization: `${P[8]} ${P[9]} ${P[10]} ${P[11]}`,
    tier: "送",
    role: "",
  },
];

const hostileIssue: Issue = {
  masthead: { title: dirty("刊名"), number: dirty("第1期"), date: dirty("2025年") },
  sections: [
    {
      name: dirty("栏目"),
      articles: [
        {
          kicker: dirty("引题"),
          title: dirty("标题"),
          subtitle: dirty("副题"),
          authors: ["作者<b>", "A&B", "{{evil}}"],
          paragraphs: [dirty("正文"), dirty("第二段")],
        },
      ],
    },
    { name: null, articles: [{ title: "", authors: [], paragraphs: [dirty("无题正文")] }] },
  ],
  distribution: { report: [dirty("报单位")], distribute: [dirty("发单位")], copy: [dirty("送单位")] },
};

/** Each payload is shown as text somewhere on the page (not eaten, not turned into markup). */
function expectShown(text: string, where: string, payloads: readonly string[] = MARKUP_PAYLOADS) {
  for (const p of payloads) expect(text, `${where}: ${p}`).toContain(p);
}

/** The suite, on the shared service (see tests/bad-input/service.test.ts). */
export function markupOnPages(shared: SharedService) {
  describe("the checker", () => {
    it("catches every payload that is markup when it reaches a page unescaped, in the page or in a srcdoc", () => {
      const live = MARKUP_PAYLOADS.filter((p) => /<[a-z!/]/i.test(p) && !p.startsWith("&lt;"));
      expect(live.length).toBeGreaterThanOrEqual(8);
      for (const p of live) {
        expect(() => expectInert(`<!doctype html><title>t</title><p>${p}</p>`, "raw"), p).toThrow();
        expect(
          () =>
            expectInert(
              `<iframe class="preview" sandbox="" srcdoc="${p.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"></iframe>`,
              "srcdoc",
            ),
          p,
        ).toThrow();
      }
      expect(() =>
        expectInert(`<p>${MARKUP_PAYLOADS.join(" ").replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>`, "escaped"),
      ).not.toThrow();
    });
  });

  describe("the rendered email and its web version", () => {
    it("hold every payload as text only, in every tier, for a hostile recipient", async () => {
      const renderer = new MjmlRenderer();
      const links = {
        unsubscribeUrl: "https://bulletin.example.org/u/abc.def",
        viewOnlineUrl: "https://bulletin.example.org/archive/i-1",
      };
      for (const tier of ["report", "distribute", "copy"] as const) {
        const prepared = await renderer.prepare(hostileIssue, tier);
        const email = prepared.personalise(
          { email: ODD_EMAIL, name: dirty("姓名"), organization: dirty("单位") },
          links,
        );
        const { text } = expectInert(email.html, `email ${tier}`);
        expectShown(text, `email ${tier}`);
        expect(text).toContain(ODD_EMAIL);
        const web = expectInert(await prepared.webVersion(links.viewOnlineUrl), `web version ${tier}`);
        expectShown(web.text, `web version ${tier}`);
        // The text part is text: it must simply carry the payloads verbatim.
        expect(email.text).toContain(MARKUP_PAYLOADS[0]);
      }
    });
  });

  let ctx: TestService;
  let issueId: string;
  let sendId: string;
  let cookie: string;
  const page = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${ctx.service.url}${path}`, {
      ...init,
      headers: { cookie, ...(init.headers as Record<string, string> | undefined) },
    });
    expect(res.status, path).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    ctx = shared.ctx;
    const json = { "content-type": "application/json" };
    const created = await ctx.api("/api/issues", {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify(hostileIssue),
    });
    issueId = ((await created.json()) as { id: string }).id;
    await ctx.api(`/api/issues/${issueId}/public`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: '{"public":true}',
    });
    // Names and organisations through the CSV import, quoted as a spreadsheet would write them.
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const csv = [
      "email,name,organization,tier,role",
      ...RECIPIENTS.map((r) => [r.email, r.name, r.organization, r.tier, r.role].map(q).join(",")),
    ].join("\n");
    const imported = (await (
      await ctx.api("/api/recipients/import", {
        role: "admin",
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: csv,
      })
    ).json()) as { created: number; rejected: unknown[] };
    expect(imported).toMatchObject({ created: 2, rejected: [] });
    // A token whose label the dashboard shows, a suppression with a detail, lifted so its log shows too.
    const token = (await (
      await ctx.api("/api/tokens", {
        role: "admin",
        method: "POST",
        headers: json,
        body: JSON.stringify({ role: "admin", label: `管理员<script data-evil>evil(9)</script>` }),
      })
    ).json()) as { token: string };
    await ctx.api("/api/suppressions", {
      role: "admin",
      method: "POST",
      headers: json,
      body: JSON.stringify({ email: ODD_EMAIL, detail: dirty("原因") }),
    });
    await fetch(`${ctx.service.url}/api/suppressions/${encodeURIComponent(ODD_EMAIL)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token.token}` },
    });
    // A real send to the hostile recipients, so the send page lists them.
    const send = await ctx.api(`/api/issues/${issueId}/sends`, {
      role: "secretariat",
      method: "POST",
      headers: json,
      body: JSON.stringify({ only: ["markup-1@example.cn", ODD_EMAIL] }),
    });
    sendId = ((await send.json()) as { sendId: string }).sendId;
    for (
      let i = 0;
      i < 100 &&
      ((await (await ctx.api(`/api/sends/${sendId}`, { role: "viewer" })).json()) as { status: string }).status !==
        "finished";
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    const signIn = await fetch(`${ctx.service.url}/admin/login`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ token: token.token }),
    });
    cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
  }, 60_000);

  describe("pages of the service that show what was typed", () => {
    it("the public archive, the web version and the API preview", async () => {
      expectShown(expectInert(await page("/archive"), "/archive").text, "/archive", MARKUP_PAYLOADS);
      expectShown(expectInert(await page(`/archive/${issueId}`), "web version").text, "web version");
      for (const tier of ["report", "distribute", "copy"]) {
        const html = await (await ctx.api(`/api/issues/${issueId}/preview/${tier}`, { role: "viewer" })).text();
        expectShown(expectInert(html, `preview ${tier}`).text, `preview ${tier}`);
      }
    });

    it("the Atom feed: well-formed XML whose titles read back exactly as typed", async () => {
      const xml = await page("/archive/feed.xml");
      const titles: string[] = [];
      const parser = sax.parser(true);
      let inTitle = false;
      parser.onopentag = (tag) => {
        expect(
          ["feed", "id", "title", "updated", "author", "name", "link", "entry", "published", "summary"],
          tag.name,
        ).toContain(tag.name);
        expect(Object.keys(tag.attributes).every((a) => ["xmlns", "xml:lang", "rel", "type", "href"].includes(a))).toBe(
          true,
        );
        inTitle = tag.name === "title";
        if (inTitle) titles.push("");
      };
      parser.ontext = (t) => {
        if (inTitle) titles[titles.length - 1] += t;
      };
      parser.onclosetag = () => (inTitle = false);
      parser.write(xml).close();
      expect(titles).toContain(`${hostileIssue.masthead!.title} ${hostileIssue.masthead!.number}`);
    });

    it("every dashboard page", async () => {
      const paths = [
        "/admin",
        `/admin/issues/${issueId}`,
        ...["report", "distribute", "copy"].map((t) => `/admin/issues/${issueId}/preview/${t}`),
        `/admin/sends/${sendId}`,
        "/admin/recipients",
        `/admin/recipients?q=${encodeURIComponent(MARKUP_PAYLOADS[1])}`,
        "/admin/suppressions",
        `/admin/suppressions?email=${encodeURIComponent(ODD_EMAIL)}`,
        `/admin/suppressions?email=${encodeURIComponent(MARKUP_PAYLOADS[3])}`,
        "/admin/import",
        `/admin/issues/${issueId}/audience`,
        `/admin/sends/${sendId}/organisations`,
        `/admin/recipients/${encodeURIComponent("markup-1@example.cn")}`,
        `/admin/recipients/${encodeURIComponent(ODD_EMAIL)}`,
        "/admin/settings",
        "/admin/tokens",
      ];
      const seen: Record<string, string> = {};
      for (const path of paths) seen[path] = expectInert(await page(path), path).text;
      expect(seen["/admin"]).toContain("管理员<script data-evil>evil(9)</script>");
      expectShown(seen[`/admin/issues/${issueId}`]!, "issue page", [
        MARKUP_PAYLOADS[0],
        MARKUP_PAYLOADS[5],
        MARKUP_PAYLOADS[8],
      ]);
      expectShown(seen[`/admin/issues/${issueId}/preview/copy`]!, "dashboard preview");
      expectShown(
        seen[`/admin/sends/${sendId}`]!,
        "send page",
        RECIPIENTS.flatMap((r) => [r.name, r.organization]),
      );
      expectShown(seen["/admin/recipients"]!, "recipients page");
      expectShown(seen[`/admin/suppressions?email=${encodeURIComponent(ODD_EMAIL)}`]!, "suppression log");
      expectShown(seen[`/admin/issues/${issueId}/audience`]!, "coverage of the printed lists");
      expectShown(
        seen[`/admin/sends/${sendId}/organisations`]!,
        "report per organisation",
        RECIPIENTS.flatMap((r) => [r.organization]),
      );
      expectShown(seen[`/admin/recipients/${encodeURIComponent(ODD_EMAIL)}`]!, "recipient page", [ODD_EMAIL]);
      expect(seen["/admin/tokens"]).toContain("管理员<script data-evil>evil(9)</script>");
    });

    it("the dashboard's import form, showing back pasted text it could not import", async () => {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page("/admin/import"))![1]!;
      const form = new FormData();
      form.set("_csrf", csrf);
      form.set("text", `Not a bulletin. ${EVIL}`);
      form.set("format", "");
      const res = await fetch(`${ctx.service.url}/admin/import`, {
        method: "POST",
        headers: { cookie, origin: ctx.service.url },
        body: form,
      });
      expect(res.status).toBe(400);
      const { text } = expectInert(await res.text(), "import form");
      expect(text).toContain("无法导入");
      expectShown(text, "import form");
    });

    it("the unsubscribe pages of an address with ' & { } in it", async () => {
      const token = signUnsubscribe(ctx.service.deps.unsubscribeKey, sendId, ODD_EMAIL);
      const confirm = await fetch(`${ctx.service.url}/u/${token}`);
      expect(confirm.status).toBe(200);
      expect(expectInert(await confirm.text(), "unsubscribe page").text).toContain(ODD_EMAIL);
      const done = await fetch(`${ctx.service.url}/u/${token}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "List-Unsubscribe=One-Click",
      });
      expect(done.status).toBe(200);
      expect(expectInert(await done.text(), "unsubscribed page").text).toContain(ODD_EMAIL);
    });
  });
}
