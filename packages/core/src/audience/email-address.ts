import { RECIPIENT_LIMITS } from "./recipient.ts";

/**
 * The address rule of the recipient list, written as a few readable checks rather than one regular
 * expression, so that each rejection can say what is wrong. It accepts what SES can deliver to:
 * an ASCII dot-atom before the @ (SES refuses non-ASCII local parts; quoted local parts are not
 * accepted either — nobody on an association's list needs them) and a domain of letters, digits and
 * hyphens in any script (IDN), stored lower-cased in NFC so that one domain has one spelling.
 */
export type EmailCheck = { ok: true; email: string } | { ok: false; reason: string };

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
  if (trimmed === "") return bad("missing email");
  if (/\s/u.test(trimmed)) return bad("email contains spaces");
  const at = trimmed.split("@");
  if (at.length === 1) {
    // A Chinese input method readily types the full-width ＠; say so, it is invisible to most readers.
    return bad(trimmed.includes("＠") ? "email has no @ (＠ is a full-width character)" : "email has no @");
  }
  if (at.length > 2) return bad("email has more than one @");
  const [local = "", rawDomain = ""] = at;
  const email = `${local.toLowerCase()}@${rawDomain.normalize("NFC").toLowerCase()}`;
  if (email.length > RECIPIENT_LIMITS.email) {
    return bad(`email is too long (${email.length} characters, at most ${RECIPIENT_LIMITS.email})`);
  }
  const why = localPartProblem(local) ?? domainProblem(rawDomain.normalize("NFC"));
  return why === undefined ? { ok: true, email } : bad(why);
}

function localPartProblem(local: string): string | undefined {
  if (local === "") return "email has nothing before @";
  if (/[^\x00-\x7f]/.test(local)) return "email has non-ASCII characters before @ (SES cannot send to them)";
  if (local.length > MAX_LOCAL) return `email has more than ${MAX_LOCAL} characters before @`;
  return dotProblem(local, "before @") ?? atextProblem(local);
}

function atextProblem(local: string): string | undefined {
  for (const atom of local.split(".")) {
    if (!ATEXT.test(atom)) {
      const ch = [...atom].find((c) => !ATEXT.test(c)) ?? atom;
      return `email has a character not allowed before @ (${JSON.stringify(ch)})`;
    }
  }
  return undefined;
}

function domainProblem(domain: string): string | undefined {
  if (domain === "") return "email has nothing after @";
  if (domain.length > MAX_DOMAIN) return `email domain is longer than ${MAX_DOMAIN} characters`;
  const dots = dotProblem(domain, "after @");
  if (dots) return dots;
  const labels = domain.split(".");
  if (labels.length < 2) return "email domain has no dot";
  const wrong = labels.find((l) => l.length > MAX_LABEL || !LABEL.test(l));
  if (wrong !== undefined) return `email domain is not valid (${JSON.stringify(wrong)})`;
  // An all-digit top-level label means an IP address or a typo; neither is deliverable through SES.
  if (/^\d+$/.test(labels[labels.length - 1] ?? "")) return "email domain is not valid (numeric top-level)";
  return undefined;
}

function dotProblem(part: string, where: string): string | undefined {
  if (part.includes("..")) return "email has consecutive dots";
  if (part.startsWith(".") || part.endsWith(".")) return `email has a dot at the start or end of the part ${where}`;
  return undefined;
}

function bad(reason: string): EmailCheck {
  return { ok: false, reason };
}
