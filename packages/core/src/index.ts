export * from "./errors/errors.ts";
export * from "./issue/issue-schema.ts";
export * from "./issue/import/index.ts";
export { issueToMarkdown } from "./issue/markdown-export.ts";
export * from "./issue/outline.ts";
export * from "./render/index.ts";
export * from "./audience/index.ts";
export * from "./storage/index.ts";
export * from "./send/index.ts";
