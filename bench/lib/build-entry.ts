import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Bundles a TypeScript entry into one plain ESM file, as a deployment runs it: the project's own
 * code (every @bulletin package and relative import) compiled in, npm packages left to Node. The
 * scale benchmark runs the service this way because tsx — compiling on the fly, in a loader thread
 * of its own — adds some 35 MB to the process that the service on Lambda does not have.
 *
 * Each module keeps its own `import.meta.url`, so the files it finds relative to itself (the MJML
 * template, the samples) are found where they are.
 *
 * @example
 * await bundleForNode("bench/scale.ts", "bench/.build/scale.mjs");
 */
export async function bundleForNode(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    plugins: [
      {
        name: "bulletin-node-bundle",
        setup(b) {
          // npm packages stay external (resolved from node_modules at run time); ours are compiled in.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@bulletin/") ? undefined : { path: args.path, external: true },
          );
          b.onLoad({ filter: /\.(ts|tsx)$/ }, async (args) => ({
            contents: (await readFile(args.path, "utf8")).replaceAll(
              "import.meta.url",
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: args.path.endsWith(".tsx") ? "tsx" : "ts",
          }));
        },
      },
    ],
  });
}
