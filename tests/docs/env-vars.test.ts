import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// Every environment variable the code reads is in the table of the deployable that reads it, and
// every name in a table is read there: the tables are what an operator has to go on.

const root = join(import.meta.dirname, "..", "..");

/** Which table documents the variables read under each place. Anywhere else: any table will do. */
const SCOPES: { table: string; under: string[] }[] = [
  { table: "local", under: ["packages/local/src", "packages/emulators/src", "scripts/start.mjs"] },
  { table: "cli", under: ["packages/cli/src"] },
  { table: "deploy", under: ["infra", "sst.config.ts"] },
  { table: "functions", under: ["packages/functions/src"] },
];

/** Set by the platform, not by anyone configuring the service. */
const PLATFORM = new Set(["LAMBDA_TASK_ROOT"]);

const ENV_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const TABLES_IN = ["README.md", "docs/deploy.md"];

function sourceFiles(path: string): string[] {
  const abs = join(root, path);
  if (!statSync(abs).isDirectory()) return [path];
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => /\.(ts|tsx|mjs)$/.test(f) && !/\.test(-support)?\.ts$|(^|\/)testing\//.test(f))
    .map((f) => join(path, f));
}

/** `env` or `process.env` (also `env?.` and `process?.env`). */
function isEnv(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === "env";
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === "env" &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === "process"
  );
}

function isWrite(node: ts.Node): boolean {
  const p = node.parent;
  return (
    ts.isBinaryExpression(p) &&
    p.left === node &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
  );
}

/**
 * The names a file reads from the environment: `env.X`, `env["X"]`, `process.env.X`, and a name
 * given as a string to a helper that reads it — `port(env, "PORT", 3000)`, `optional("BULLETIN_DNS")`
 * — which is an UPPER_SNAKE string argument of a call in a config file, or of a call that is also
 * handed `env`. Comments never count: the file is parsed, not grepped. Assignments are writes.
 */
function envReads(path: string, text: string): Set<string> {
  const file = ts.createSourceFile(
    path,
    text,
    ts.ScriptTarget.Latest,
    true,
    path.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const configFile = /(^|\/)[^/]*(config|env)[^/]*\.(ts|mjs)$/i.test(path);
  const names = new Set<string>();
  const visit = (node: ts.Node) => {
    if (
      ts.isPropertyAccessExpression(node) &&
      isEnv(node.expression) &&
      ENV_NAME.test(node.name.text) &&
      !isWrite(node)
    )
      names.add(node.name.text);
    if (
      ts.isElementAccessExpression(node) &&
      isEnv(node.expression) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      !isWrite(node)
    )
      names.add(node.argumentExpression.text);
    if (ts.isCallExpression(node) && (configFile || node.arguments.some(isEnv))) {
      for (const arg of node.arguments)
        if (ts.isStringLiteralLike(arg) && ENV_NAME.test(arg.text) && arg.text.length > 2) names.add(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

/** The tables marked `<!-- env-table: NAME -->`: each row's backticked UPPER_SNAKE names in its first cell. */
function documentedTables(): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const doc of TABLES_IN) {
    const lines = readFileSync(join(root, doc), "utf8").split("\n");
    lines.forEach((line, i) => {
      const m = /^<!-- env-table: ([a-z]+) -->$/.exec(line.trim());
      if (!m) return;
      const names = tables.get(m[1]!) ?? new Map<string, string>();
      for (let j = i + 1; j < lines.length && (lines[j]!.startsWith("|") || (j === i + 1 && lines[j] === "")); j++) {
        const first = lines[j]!.split("|")[1] ?? "";
        for (const [, name] of first.matchAll(/`([^`]+)`/g))
          if (ENV_NAME.test(name!)) names.set(name!, `${doc}:${j + 1}`);
      }
      tables.set(m[1]!, names);
    });
  }
  return tables;
}

function codeReads(): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>(); // file → names
  const places = [
    ...readdirSync(join(root, "packages")).map((p) => `packages/${p}/src`),
    "infra",
    "sst.config.ts",
    "scripts/start.mjs",
  ];
  for (const place of places) {
    try {
      statSync(join(root, place));
    } catch {
      continue;
    }
    for (const f of sourceFiles(place)) reads.set(f, envReads(f, readFileSync(join(root, f), "utf8")));
  }
  return reads;
}

function tableOf(file: string): string | undefined {
  return SCOPES.find((s) => s.under.some((u) => file === u || file.startsWith(`${u}/`)))?.table;
}

describe("the environment variables in the README and docs/deploy.md", () => {
  const tables = documentedTables();
  const reads = codeReads();

  it("has the four tables: npm start, the CLI, deploy time, the functions", () => {
    expect([...tables.keys()].sort()).toEqual(SCOPES.map((s) => s.table).sort());
    for (const [name, rows] of tables) expect(rows.size, name).toBeGreaterThan(0);
  });

  it("documents every variable the code reads, in the table of what reads it", () => {
    const missing: string[] = [];
    for (const [file, names] of reads) {
      const table = tableOf(file);
      for (const name of names) {
        if (PLATFORM.has(name)) continue;
        const documented = table ? tables.get(table)?.has(name) : [...tables.values()].some((t) => t.has(name));
        if (!documented) missing.push(`${name} (read in ${file}) is not in the ${table ?? "any"} table`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("documents no variable the code does not read there", () => {
    const stale: string[] = [];
    for (const [table, names] of tables) {
      for (const [name, where] of names) {
        const readBy = [...reads].filter(([file, n]) => n.has(name) && (tableOf(file) ?? table) === table);
        if (readBy.length === 0) stale.push(`${name} (${where}) is read by nothing the ${table} table covers`);
      }
    }
    expect(stale).toEqual([]);
  });
});

describe("envReads", () => {
  it("finds names read directly, by index and through helpers, and ignores comments and writes", () => {
    const text = [
      "// env.IN_A_COMMENT",
      "/** process.env.IN_JSDOC */",
      "const a = env.DIRECT ?? process.env.VIA_PROCESS;",
      'const b = env["BY_INDEX"];',
      'const c = bool(env, "TRACK_ENGAGEMENT");',
      'process.env.WRITTEN ??= "x";',
      'throw new Error("config.port");',
      'log("NOT_A_READ");',
    ].join("\n");
    expect([...envReads("packages/x/src/thing.ts", text)].sort()).toEqual([
      "BY_INDEX",
      "DIRECT",
      "TRACK_ENGAGEMENT",
      "VIA_PROCESS",
    ]);
    // In a config file a name handed to any helper counts.
    expect([
      ...envReads(
        "packages/x/src/x-config.ts",
        'const d = optional("BULLETIN_DNS"); fail("LOCAL_EMULATORS=off needs…");',
      ),
    ]).toEqual(["BULLETIN_DNS"]);
  });
});
