// `npm run check:cycles`: the import graph of packages/*/src, checked by dependency-cruiser.
// Type-only imports count: a cycle of types still ties two files into one unit to read and move.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "A file must not reach itself through its imports: move what both sides share to a third file.",
      from: {},
      to: { circular: true },
    },
    {
      name: "core-is-pure",
      severity: "error",
      comment:
        "core is the domain: it imports itself and its declared dependencies (packages/core/package.json), no Node built-in, SDK, adapter or other workspace package.",
      from: { path: "^packages/core/src/", pathNot: "\\.test(-support)?\\.ts$|^packages/core/src/testing/contracts/" },
      to: { pathNot: ["^packages/core/src/", "^node_modules/(@noble/hashes|csv-parse|csv-stringify|zod)/"] },
    },
    {
      name: "core-tests-stay-in-core",
      severity: "error",
      comment: "core's tests and contracts use core, its dependencies, the test tools and Node: no adapter.",
      from: {
        path: "\\.test(-support)?\\.ts$|^packages/core/src/testing/contracts/",
        pathNot: "^(?!packages/core/src/)",
      },
      to: {
        pathNot: [
          "^packages/core/src/",
          "^node_modules/(@noble/hashes|csv-parse|csv-stringify|zod|vitest|@vitest|fast-check)/",
        ],
        dependencyTypesNot: ["core"],
      },
    },
    {
      name: "not-to-unresolvable",
      severity: "error",
      comment: "An import the checker cannot resolve cannot be checked either.",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    // Workspace packages resolve through their package.json `exports`, as Node and tsc resolve them.
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
