import { RECIPIENT_LIMITS } from "./recipient.ts";

/**
 * The address rule of the recipient list, written as a few readable checks rather than one regular
 * expression, so that each rejection can say what is wrong. It accepts what SES can deliver to:
 * an ASCII dot-atom before the @ (SES refuses non-ASCII local parts; quoted local parts are not
 * accepted either — nobody on an association's list needs them) and a domain of letters, digits and
 * hyphens in any script (IDN), stored lower-cased in NFC so that one domain has one spelling.
 */
export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string; code: EmailProblem };

/** Why an address is refused, as a code for messages in other languages (the reason is English). */
export type EmailProblem =
  | "email.missing"
  | "email.spaces"
  | "email.no-at"
  | "email.fullwidth-at"
  | "email.many-at"
  | "email.too-long"
  | "email.local-empty"
  | "email.local-non-ascii"
  | "email.local-too-long"
  | "email.local-char"
  | "email.dots"
  | "email.domain-empty"
  | "email.domain-too-long"
  | "email.domain-no-dot"
  | "email.domain-invalid";

/** RFC 5322 "atext": what an unquoted local part may contain, besides the dots between atoms. */
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
/** One domain label: letters or digits of any script, hyphens only inside. */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]*[\p{L}\p{M}\p{N}])?$/u;
const MAX_LOCAL = 64;
const MAX_LABEL = 63;
const MAX_DOMAIN = 253;

/**
 * Checks and normalises one address (trimmed, lower-cased, domain in NFC).
 *
 * @example
 * checkEmail("Office@CACE.example.org"); // { ok: true, email: "office@cace.example.org" }
 * checkEmail("张三@example.com"); // { ok: false, reason: "email has non-ASCII characters before @ …" }
 */
export function checkEmail(input: string): EmailCheck {
  const trimmed = input.trim();
  if (trimmed === "") return bad("missing email", "email.missing");
  if (/\s/u.test(trimmed)) return bad("email contains spaces", "email.spaces");
  const at = trimmed.split("@");
  if (at.length === 1) {
    // A Chinese input method readily types the full-width ＠; say so, it is invisible to most readers.
    return trimmed.includes("＠")
      ? bad("email has no @ (＠ is a full-width character)", "email.fullwidth-at")
      : bad("email has no @", "email.no-at");
  }
  if (at.length > 2) return bad("email has more than one @", "email.many-at");
  const [local = "", rawDomain = ""] = at;
  const email = `${local.toLowerCase()}@${rawDomain.normalize("NFC").toLowerCase()}`;
  if (email.length > RECIPIENT_LIMITS.email) {
    return bad(`email is too long (${email.length} characters, at most ${RECIPIENT_LIMITS.email})`, "email.too-long");
  }
  const why = localPartProblem(local) ?? domainProblem(rawDomain.normalize("NFC"));
  return why === undefined ? { ok: true, email } : bad(why[0], why[1]);
}

type Problem = [reason: string, code: EmailProblem];

function localPartProblem(local: string): Problem | undefined {
  if (local === "") return ["email has nothing before @", "email.local-empty"];
  if (/[^\x00-\x7f]/.test(local))
    return ["email has non-ASCII characters before @ (SES cannot send to them)", "email.local-non-ascii"];
  if (local.length > MAX_LOCAL) return [`email has more than ${MAX_LOCAL} characters before @`, "email.local-too-long"];
  return dotProblem(local, "before @") ?? atextProblem(local);
}

function atextProblem(local: string): Problem | undefined {
  for (const atom of local.split(".")) {
    if (!ATEXT.test(atom)) {
      const ch = [...atom].find((c) => !ATEXT.test(c)) ?? atom;
      return [`email has a character not allowed before @ (${JSON.stringify(ch)})`, "email.local-char"];
    }
  }
  return undefined;
}

function domainProblem(domain: string): Problem | undefined {
  if (domain === "") return ["email has nothing after @", "email.domain-empty"];
  if (domain.length > MAX_DOMAIN)
    return [`email domain is longer than ${MAX_DOMAIN} characters`, "email.domain-too-long"];
  const dots = dotProblem(domain, "after @");
  if (dots) return dots;
  const labels = domain.split(".");
  if (labels.length < 2) return ["email domain has no dot", "email.domain-no-dot"];
  const wrong = labels.find((l) => l.length > MAX_LABEL || !LABEL.test(l));
  if (wrong !== undefined) return [`email domain is not valid (${JSON.stringify(wrong)})`, "email.domain-invalid"];
  // An all-digit top-level label means an IP address or a typo; neither is deliverable through SES.
  if (/^\d+$/.test(labels[labels.length - 1] ?? ""))
    return ["email domain is not valid (numeric top-level)", "email.domain-invalid"];
  return undefined;
}

function dotProblem(part: string, where: string): Problem | undefined {
  if (part.includes("..")) return ["email has consecutive dots", "email.dots"];
  if (part.startsWith(".") || part.endsWith("."))
    return [`email has a dot at the start or end of the part ${where}`, "email.dots"];
  return undefined;
}

function bad(reason: string, code: EmailProblem): EmailCheck {
  return { ok: false, reason, code };
}
