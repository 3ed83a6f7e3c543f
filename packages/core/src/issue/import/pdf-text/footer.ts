import type { Distribution } from "../../issue-schema.ts";
import type { DroppedText } from "../import-result.ts";
import { joinWrapped, SENTENCE_END, splitOrganisations } from "../text-utils.ts";
import { sectionName, tierLabel } from "./line-kinds.ts";
import type { SourceLine } from "./source-lines.ts";

export interface Footer {
  distribution: Distribution;
  /** Index of the first footer line; lines before it are the body. */
  start: number;
  dropped: DroppedText[];
  warnings: string[];
}

// A 报 list whose label was lost is at most this many lines long.
const MAX_UNLABELLED_REPORT_LINES = 3;
/** The imprint under the lists: who printed it and when (…2026年1月26日印发), and how many copies. */
/** A list line this close to the margin (columns) ran into it. */
const OPEN_MARGIN = 4;
const IMPRINT = /(?:印发|印制)$|^[（(]?\s*共印\s*\d+\s*份\s*[）)]?$/u;

/** A line that can be part of the footer: a label line, or a list of organisations with no sentence in it. */
function isListLike(line: SourceLine, width: number): boolean {
  if (tierLabel(line)) return true;
  if (sectionName(line) !== null) return false;
  if (/[。！？!?]/u.test(line.text) || SENTENCE_END.test(line.text)) return false;
  return line.width <= width + 2;
}

/**
 * Finds the 报/发/送 footer at the end of the body and reads the three organisation lists.
 *
 * The footer is the run of list-like lines at the end that holds at least one label. A tier's list
 * continues on the lines after its label until the next label. When the first label is not 报 (the
 * "报：" was lost in extraction), the list-like lines just above it are taken as the 报 list.
 *
 * @example
 * findFooter(lines, 64).distribution.copy; // ["各省通信行业协会", "相关单位"]
 */
export function findFooter(all: readonly SourceLine[], width: number): Footer {
  const distribution: Distribution = { report: [], distribute: [], copy: [] };
  const dropped: DroppedText[] = [];
  const warnings: string[] = [];

  let end = all.length;
  while (end > 0 && IMPRINT.test(all[end - 1]!.text) && all.slice(0, end - 1).some((l) => tierLabel(l))) end--;
  const imprint = all.slice(end).map((l) => ({ line: l.no, text: l.text, reason: "imprint" as const }));
  const lines = all.slice(0, end);
  let runStart = lines.length;
  while (runStart > 0 && isListLike(lines[runStart - 1]!, width)) runStart--;
  let firstLabel = -1;
  for (let i = runStart; i < lines.length; i++) {
    if (tierLabel(lines[i]!)) {
      firstLabel = i;
      break;
    }
  }
  if (firstLabel < 0) return { distribution, start: all.length, dropped, warnings };

  let start = firstLabel;
  let tier = tierLabel(lines[firstLabel]!)!.tier;
  if (tier !== "report") {
    // The 报： label may have been lost: the lines just above the first label are the 报 list.
    const from = Math.max(runStart, firstLabel - MAX_UNLABELLED_REPORT_LINES);
    if (from < firstLabel) {
      start = from;
      tier = "report";
      warnings.push(
        `lines ${lines[from]!.no}–${lines[firstLabel - 1]!.no}: no "报：" label; read as the 报 (report) list`,
      );
    }
  }

  // An organisation's name broken at the margin goes on at the start of the next line: a line that
  // runs to the margin with no separator at its end leaves its last name open.
  let open = false;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const label = tierLabel(line);
    let rest = line.text;
    if (label) {
      tier = label.tier;
      rest = label.rest;
      open = false;
      dropped.push({ line: line.no, text: label.label, reason: "markup" });
    }
    const orgs = splitOrganisations(rest);
    const list = distribution[tier];
    if (open && orgs.length > 0 && list.length > 0 && !/^\s*[、，,；;]/u.test(rest))
      list.push(joinWrapped(list.pop()!, orgs.shift()!));
    list.push(...orgs);
    open = line.width >= width - OPEN_MARGIN && !/[、，,；;]\s*$/u.test(rest);
    const separators = rest.replace(/[^、，,；;]/gu, "");
    if (separators) dropped.push({ line: line.no, text: separators, reason: "markup" });
  }
  return { distribution, start, dropped: [...dropped, ...imprint], warnings };
}
