export { type CompileMjml, compileStrict, escapeHtml, GMAIL_CLIP_BYTES, MjmlRenderer } from "./mjml-renderer.ts";
export type { EmailView } from "./email-view.ts";
