import { ImportError } from "../../errors/errors.ts";
import { IssueSchema } from "../issue-schema.ts";
import type { ImportResult } from "./import-result.ts";
import { escapeControls } from "./text-utils.ts";

/**
 * Imports the Issue JSON itself (as written by `bulletin import --json`, possibly hand-corrected).
 * Errors name the line of a syntax error, or the path of the first field that is wrong.
 *
 * @example
 * parseIssueJson('{"sections":[],"distribution":{"report":[],"distribute":[],"copy":[]}}').issue;
 */
export function parseIssueJson(text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const where = pos?.[1] !== undefined ? `line ${text.slice(0, Number(pos[1])).split("\n").length}` : undefined;
    // V8 quotes the input around the error, line breaks and control characters included.
    const oneLine = escapeControls(msg.replace(/^JSON\.parse: /, ""));
    throw new ImportError("import.json-syntax", `not valid JSON: ${oneLine}`, where);
  }
  const parsed = IssueSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const path = first ? formatPath(first.path) : "";
    const what = first ? first.message : "does not match the Issue shape";
    throw new ImportError("import.json-shape", `not an Issue: ${path ? `${path}: ` : ""}${what}`, path || undefined);
  }
  return { issue: parsed.data, format: "json", dropped: [], warnings: [] };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    "",
  );
}
