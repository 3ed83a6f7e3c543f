import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The docs that say where things are point at files that are there, and the package graph they
// draw is the one the package.json files declare.

const root = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** A token that names a file or folder of the repository (not a URL path, a package name or a glob). */
const PATHLIKE = /^(?:\.?[\w-][\w.-]*\/)+[\w.-]*$/;

function missing(paths: { path: string; bases: string[] }[]): string[] {
  return paths.filter(({ path, bases }) => !bases.some((b) => existsSync(join(root, b, path)))).map(({ path }) => path);
}

/** The fenced block of README's "## Layout": the first column, and the paths its descriptions name. */
function layoutPaths(readme: string): { path: string; bases: string[] }[] {
  const section = readme.slice(readme.indexOf("## Layout\n"));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
  const out: { path: string; bases: string[] }[] = [];
  let row = "";
  for (const line of block.split("\n")) {
    if (!line.trim()) continue;
    const [first, ...rest] = line.startsWith(" ") ? ["", line] : line.split(/\s+(.*)/);
    if (first) out.push({ path: (row = first), bases: [""] });
    // A path in a description is from the root, the row's folder or its src/.
    for (const word of (rest.join(" ") ?? "").split(/[\s,;()]+/)) {
      const w = word.replace(/[:.]+$/, "");
      if (PATHLIKE.test(w) && !w.startsWith(".sst")) out.push({ path: w, bases: ["", row, join(row, "src")] });
    }
  }
  return out;
}

/** Every backticked path of a markdown file. */
function backtickedPaths(markdown: string): { path: string; bases: string[] }[] {
  return [...markdown.matchAll(/`([^`\s]+)`/g)]
    .map((m) => m[1]!)
    .filter((p) => PATHLIKE.test(p))
    .map((path) => ({ path, bases: [""] }));
}

describe("paths in the docs", () => {
  it("README's Layout names only files and folders that exist, and every package", () => {
    const paths = layoutPaths(read("README.md"));
    expect(paths.length).toBeGreaterThan(30);
    expect(missing(paths)).toEqual([]);
    const packages = readdirSync(join(root, "packages")).map((p) => `packages/${p}`);
    expect(packages.filter((p) => !paths.some((x) => x.path === p))).toEqual([]);
  });

  it("docs/architecture.md names only files and folders that exist", () => {
    const paths = backtickedPaths(read("docs/architecture.md"));
    expect(paths.length).toBeGreaterThan(40);
    expect(missing(paths)).toEqual([]);
  });

  it("docs/README.md lists every document in docs/", () => {
    const index = read("docs/README.md");
    const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md") && f !== "README.md");
    expect(docs.filter((d) => !index.includes(`(${d})`))).toEqual([]);
  });
});

describe("the package graph in docs/architecture.md", () => {
  it("is the @bulletin dependencies of each package.json", () => {
    const block = /```graph\n([\s\S]*?)```/.exec(read("docs/architecture.md"))?.[1] ?? "";
    const drawn = Object.fromEntries(
      block
        .trim()
        .split("\n")
        .map((line) => {
          const [name, deps] = line.split("→").map((s) => s.trim());
          return [name!, deps ? deps.split(/,\s*/).sort() : []];
        }),
    );
    const declared = Object.fromEntries(
      readdirSync(join(root, "packages")).map((dir) => {
        const pkg = JSON.parse(read(`packages/${dir}/package.json`)) as {
          name: string;
          dependencies?: Record<string, string>;
        };
        const ours = Object.keys(pkg.dependencies ?? {})
          .filter((d) => d.startsWith("@bulletin/"))
          .map((d) => d.slice("@bulletin/".length));
        return [pkg.name.slice("@bulletin/".length), ours.sort()];
      }),
    );
    expect(drawn).toEqual(declared);
  });
});
