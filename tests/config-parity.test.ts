import { readAwsConfig } from "@bulletin/functions";
import { readLocalConfig } from "@bulletin/local";
import { describe, expect, it } from "vitest";

/** What a reader made of a value: the value, or the refusal's message. */
const outcome = (read: () => unknown) => {
  try {
    return { value: read() };
  } catch (e) {
    return { refused: (e as Error).message.replace(/ \(see docs\/deploy\.md\)$/, "") };
  }
};

// The settings both the local stack and the Lambda handlers read, as their users write them: each
// must mean the same on AWS as on this machine (issue 18: TRACK_ENGAGEMENT took anything on AWS).
describe("a setting means the same locally and on AWS", () => {
  const aws = (env: Record<string, string>) => readAwsConfig({}, env);
  const local = (env: Record<string, string>) => readLocalConfig(env, []);
  const cases: [
    string,
    string[],
    (c: {
      trackEngagement: boolean;
      transientBouncesToSuppress: number;
      domainGroups: unknown;
      publicUrl: string;
      unsubscribeForwardTo: string;
    }) => unknown,
  ][] = [
    [
      "TRACK_ENGAGEMENT",
      ["on", "OFF", "true", "False", "yes", "no", "1", "0", "", "nope", "of"],
      (c) => c.trackEngagement,
    ],
    [
      "TRANSIENT_BOUNCES_TO_SUPPRESS",
      ["1", "3", "100", "", "0", "101", "2.5", "three"],
      (c) => c.transientBouncesToSuppress,
    ],
    ["DOMAIN_RATES", ["qq.com=3000/h", "none", "", "qq.com=fast"], (c) => c.domainGroups],
    [
      "PUBLIC_URL",
      ["https://news.example.org/", "http://localhost:8080", "javascript:alert(1)", "news.example.org"],
      (c) => c.publicUrl,
    ],
    [
      "UNSUBSCRIBE_FORWARD_TO",
      ["office@example.org", "office", "a@b.org\r\nBcc: x@y.org"],
      (c) => c.unsubscribeForwardTo,
    ],
  ];
  for (const [name, values, pick] of cases) {
    it(name, () => {
      for (const value of values) {
        const env = { [name]: value };
        const onAws = outcome(() => pick(aws(env)));
        // Required on AWS, defaulted locally: an unset value differs by design, so compare set ones.
        if (value === "" && "refused" in onAws) continue;
        expect(onAws, `${name}=${JSON.stringify(value)}`).toEqual(outcome(() => pick(local(env))));
      }
    });
  }
});
