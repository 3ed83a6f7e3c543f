import { InvalidInputError } from "../errors/errors.ts";

/** An environment as a deployable has it (process.env, or a test's object): core never reads process.env itself. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What a reader takes besides the variable's name: its default when unset, and where to read more. */
interface Fallback<T> {
  default?: T;
}

/** The values every switch takes, in any case: on/off, true/false, yes/no, 1/0. */
const ON = /^(on|true|yes|1)$/i;
const OFF = /^(off|false|no|0)$/i;
/** An address as config takes it: something@somewhere, with no space, CR/LF, quote or angle bracket (it goes into headers). */
const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;
const SECONDS: Record<string, number> = { s: 1, sec: 1, min: 60, m: 60, h: 3_600, d: 86_400 };
const RATE_UNITS: Record<string, number> = { s: 1, min: 60, h: 3_600, d: 86_400 };

/**
 * The one way every deployable (the local stack, the Lambda handlers, the CLI, the deploy in infra/)
 * reads its settings, so a value means the same everywhere: a switch takes on/off/true/false/yes/no/1/0,
 * a URL is checked as a URL, and so on. An unset or blank variable takes its default. A bad value
 * throws InvalidInputError `config.invalid` (unset and required: `config.missing`) naming the
 * variable and what it must be, with `details: {variable, expected}`; a secret's value is never
 * repeated in the message.
 *
 * @example
 * const read = envReader(process.env);
 * read.bool("TRACK_ENGAGEMENT", true);                        // "off" → false, "maybe" → throws
 * read.url("PUBLIC_URL", { default: "http://localhost:3000" }); // without a trailing slash
 * read.rate("SEND_RATE");                                      // "14", "14/s", "600/min" → 14, 14, 10
 */
export function envReader(env: Env, options: { see?: string } = {}) {
  const see = options.see ? ` (see ${options.see})` : "";
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const invalid = (name: string, expected: string, shown: string | undefined): never => {
    throw new InvalidInputError(
      "config.invalid",
      `${name} must be ${expected}${shown === undefined ? "" : `, not "${shown}"`}${see}`,
      { details: { variable: name, expected } },
    );
  };
  /** The variable parsed by `parse` (undefined when it does not fit), its default when unset. */
  function value<T>(
    name: string,
    expected: string,
    parse: (v: string) => T | undefined,
    fallback: T | undefined,
    secret = false,
  ): T | undefined {
    const v = raw(name);
    if (v === undefined) return fallback;
    const parsed = parse(v);
    return parsed === undefined ? invalid(name, expected, secret ? undefined : v) : parsed;
  }

  function text(name: string, o: { default: string }): string;
  function text(name: string, o?: Fallback<string>): string | undefined;
  function text(name: string, o: Fallback<string> = {}) {
    return raw(name) ?? o.default;
  }

  function required(name: string, expected: string): string {
    const v = raw(name);
    if (v === undefined)
      throw new InvalidInputError("config.missing", `${name} is not set: ${expected}${see}`, {
        details: { variable: name, expected },
      });
    return v;
  }

  function bool(name: string, fallback: boolean): boolean;
  function bool(name: string): boolean | undefined;
  function bool(name: string, fallback?: boolean) {
    return value(
      name,
      "on or off (or true/false, yes/no, 1/0)",
      (v) => (ON.test(v) ? true : OFF.test(v) ? false : undefined),
      fallback,
    );
  }

  function int(name: string, o: { default: number; min: number; max: number }): number;
  function int(name: string, o: { default?: number; min: number; max: number }): number | undefined;
  function int(name: string, o: { default?: number; min: number; max: number }) {
    return value(
      name,
      `a whole number from ${o.min} to ${o.max}`,
      (v) => (/^-?\d+$/.test(v) && Number(v) >= o.min && Number(v) <= o.max ? Number(v) : undefined),
      o.default,
    );
  }

  function port(name: string, fallback: number): number {
    return value(
      name,
      "a port number (0 to 65535)",
      (v) => (/^\d{1,5}$/.test(v) && Number(v) <= 65_535 ? Number(v) : undefined),
      fallback,
    )!;
  }

  function url(name: string, o: { default: string; https?: boolean }): string;
  function url(name: string, o?: { default?: string; https?: boolean }): string | undefined;
  function url(name: string, o: { default?: string; https?: boolean } = {}) {
    const expected = o.https ? "an https URL" : "an http(s) URL";
    const parse = (v: string) => {
      // Inferred, not annotated: infra's type check sees another global URL type than the packages'.
      const u = (() => {
        try {
          return new URL(v);
        } catch {
          return undefined;
        }
      })();
      if (!u) return undefined;
      const ok = o.https ? u.protocol === "https:" : u.protocol === "http:" || u.protocol === "https:";
      return ok && u.hostname !== "" && !/\s/.test(v) ? v.replace(/\/+$/, "") : undefined;
    };
    const v = raw(name);
    // A default is checked too: one built from another variable (http://localhost:$PORT) may be wrong.
    return v === undefined && o.default !== undefined
      ? (parse(o.default) ?? invalid(name, expected, o.default))
      : value(name, expected, parse, undefined);
  }

  function address(name: string, o: { default: string }): string;
  function address(name: string, o?: Fallback<string>): string | undefined;
  function address(name: string, o: Fallback<string> = {}) {
    return value(name, "an email address", (v) => (ADDRESS.test(v) ? v : undefined), o.default);
  }

  function rate(name: string, o: { default: number; max?: number }): number;
  function rate(name: string, o?: { default?: number; max?: number }): number | undefined;
  function rate(name: string, o: { default?: number; max?: number } = {}) {
    const max = o.max ?? 10_000;
    return value(
      name,
      `a rate per second, minute, hour or day above 0 and at most ${max}/s, e.g. 14, 14/s or 3000/h`,
      (v) => {
        const m = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|min|h|d))?$/i.exec(v);
        const perSecond = m ? Number(m[1]) / RATE_UNITS[(m[2] ?? "s").toLowerCase()]! : NaN;
        return perSecond > 0 && perSecond <= max ? perSecond : undefined;
      },
      o.default,
    );
  }

  function duration(name: string, o: { default: number; min: number; max: number }): number;
  function duration(name: string, o: { default?: number; min: number; max: number }): number | undefined;
  function duration(name: string, o: { default?: number; min: number; max: number }) {
    return value(
      name,
      `a duration from ${o.min} to ${o.max} seconds, in seconds or with a unit (s, min, h, d), e.g. 90, 90s or 15min`,
      (v) => {
        const m = /^(\d+)\s*(s|sec|m|min|h|d)?$/i.exec(v);
        const seconds = m ? Number(m[1]) * SECONDS[(m[2] ?? "s").toLowerCase()]! : NaN;
        return seconds >= o.min && seconds <= o.max ? seconds : undefined;
      },
      o.default,
    );
  }

  function oneOf<const T extends string>(name: string, values: readonly T[], fallback: T): T {
    return value(name, values.join(" or "), (v) => values.find((x) => x === v.toLowerCase()), fallback)!;
  }

  /** A key or token: at least `minLength` characters; its value never appears in an error. */
  function secret(name: string, minLength: number): string | undefined {
    return value(
      name,
      `at least ${minLength} characters`,
      (v) => (v.length >= minLength ? v : undefined),
      undefined,
      true,
    );
  }

  /** A name checked against a pattern (an SES configuration set, a domain): `expected` says it in words. */
  function matching(name: string, pattern: RegExp, expected: string, fallback: string): string;
  function matching(name: string, pattern: RegExp, expected: string): string | undefined;
  function matching(name: string, pattern: RegExp, expected: string, fallback?: string) {
    return value(name, expected, (v) => (pattern.test(v) ? v : undefined), fallback);
  }

  return { text, required, bool, int, port, url, address, rate, duration, oneOf, secret, matching, invalid };
}

/** What envReader returns: the readers of one environment. */
export type EnvReader = ReturnType<typeof envReader>;
