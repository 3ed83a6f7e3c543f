import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createApp, hashToken } from "@bulletin/api";
import { inMemoryApiDeps } from "@bulletin/api/testing/in-memory-api-deps";
import type { Role, StoredToken } from "@bulletin/core";
import { InMemoryTokenRepo } from "@bulletin/core/testing";
import { describe, expect, it } from "vitest";

// The README's API table is what a client author reads: each of its rows is a route the app serves
// and documents, with the role the route really asks for, and no route is left out.

const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];
const ROLES: Role[] = ["viewer", "secretariat", "admin"];

type Row = { op: string; role: Role };

/**
 * The table's operations, as `METHOD /path/{param}`. A cell names one or more: `GET /api/a`,
 * `GET /api/b` (two); `PATCH`, `DELETE /api/a` (two methods, one path); `POST /api/s/:id/pause` \|
 * `resume` (the last segment replaced). The role cell gives one role for all, or one per operation.
 */
function apiTableRows(markdown: string): Row[] {
  const start = markdown.indexOf("| route | role | what |");
  expect(start, "the API table").toBeGreaterThan(-1);
  const rows: Row[] = [];
  for (const line of markdown.slice(start).split("\n").slice(2)) {
    if (!line.startsWith("|")) break;
    const [routeCell, roleCell] = line
      .split(/(?<!\\)\|/)
      .slice(1, 3)
      .map((c) => c.trim());
    const ops: string[] = [];
    let pendingMethods: string[] = [];
    for (const [, code] of routeCell!.matchAll(/`([^`]+)`/g)) {
      const m = /^([A-Z]+) (\/\S*)$/.exec(code!);
      if (METHODS.includes(code!)) pendingMethods.push(code!);
      else if (m) {
        const path = m[2]!.replace(/\?.*$/, "").replace(/:([^/]+)/g, "{$1}");
        for (const method of [...pendingMethods, m[1]!]) ops.push(`${method} ${path}`);
        pendingMethods = [];
      } else if (/^[a-z.]+$/.test(code!) && ops.length) {
        const [method, path] = ops.at(-1)!.split(" ");
        ops.push(`${method} ${path!.replace(/[^/]+$/, code!)}`);
      } else throw new Error(`cannot read the route cell: ${routeCell}`);
    }
    const roles = roleCell!.split(/,\s*/) as Role[];
    for (const r of roles) expect(ROLES, line).toContain(r);
    expect(roles.length === 1 || roles.length === ops.length, `one role, or one per route: ${line}`).toBe(true);
    for (const [i, op] of ops.entries()) rows.push({ op, role: roles.length === 1 ? roles[0]! : roles[i]! });
  }
  return rows;
}

const token = (role: Role): StoredToken => ({
  hash: hashToken(`${role}-secret`),
  role,
  label: role,
  createdAt: "2026-01-01T00:00:00.000Z",
});

describe("the README's API table", () => {
  const app = createApp(inMemoryApiDeps({ tokens: new InMemoryTokenRepo(ROLES.map(token)) }));
  const rows = apiTableRows(readme);

  it("lists exactly the operations of the OpenAPI document, each once", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m.toUpperCase()))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const listed = rows.map((r) => r.op);
    expect(new Set(listed).size, "an operation listed twice").toBe(listed.length);
    expect(
      listed.filter((op) => !documented.includes(op)),
      "listed but not served",
    ).toEqual([]);
    expect(
      documented.filter((op) => !listed.includes(op)),
      "served but not listed",
    ).toEqual([]);
  });

  it("gives each route the least role it takes: that role passes, the one below gets 403", async () => {
    const wrong: string[] = [];
    for (const { op, role } of rows) {
      const [method, path] = op.split(" ") as [string, string];
      const url = path.replace(/\{[^}]+\}/g, "x");
      const call = (as: Role) => app.request(url, { method, headers: { authorization: `Bearer ${as}-secret` } });
      const own = (await call(role)).status;
      if (own === 401 || own === 403) wrong.push(`${op}: ${role} gets ${own}`);
      const below = ROLES[ROLES.indexOf(role) - 1];
      if (below) {
        const status = (await call(below)).status;
        if (status !== 403) wrong.push(`${op}: ${below} gets ${status}, not 403`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
