import {
  type FileStore,
  issueImages,
  type PreparedEmail,
  type PreSendCheck,
  preSendChecks,
  type RenderedSample,
  type Renderer,
  senderDomain,
  type SenderSetup,
  type StoredIssue,
  type Tier,
} from "@bulletin/core";
import { recipientLinks } from "./unsubscribe-links.ts";

/** What the pre-send checks need: the renderer as the sender uses it, the links' base and key, the sender. */
export interface PreSendDeps {
  renderer: Renderer;
  files?: Pick<FileStore, "get">;
  publicUrl: string;
  unsubscribeKey: string;
  sender: SenderSetup;
}

/**
 * Renders a tier as the sender will: with the photos embedded when the settings say so.
 *
 * @example
 * const prepared = await prepareTier(deps, stored, "report");
 */
export function prepareTier(
  deps: Pick<PreSendDeps, "renderer" | "files">,
  stored: StoredIssue,
  tier: Tier,
): Promise<PreparedEmail> {
  return deps.renderer.prepare(stored.issue, tier, {
    originalPdf: stored.original !== undefined,
    ...issueImages(stored.id, deps.files),
  });
}

/**
 * The pre-send checks of an issue over the given tiers: each tier's email personalised for a
 * sample recipient (the tier's first printed organisation) with links made as a send makes them
 * (signed unsubscribe, the web version), and the sender domain's DKIM. `prepared` reuses tiers
 * already rendered (the dry run's).
 *
 * @example
 * const checks = await checkIssue(deps, stored, ["report", "distribute", "copy"]);
 * checks.find((c) => c.id === "dkim"); // { id: "dkim", status: "pass", reason: "本地环境不检查 DKIM。" }
 */
export async function checkIssue(
  deps: PreSendDeps,
  stored: StoredIssue,
  tiers: readonly Tier[],
  prepared: Partial<Record<Tier, PreparedEmail>> = {},
): Promise<PreSendCheck[]> {
  const domain = senderDomain(deps.sender.fromEmail);
  const [samples, dkim] = await Promise.all([
    Promise.all(
      tiers.map(
        async (tier): Promise<RenderedSample> =>
          sampleOf(prepared[tier] ?? (await prepareTier(deps, stored, tier)), deps, stored),
      ),
    ),
    deps.sender.identity.dkim(domain),
  ]);
  return preSendChecks(samples, { localStack: deps.sender.localStack, senderDomain: domain, dkim });
}

function sampleOf(prepared: PreparedEmail, deps: PreSendDeps, stored: StoredIssue): RenderedSample {
  const organization = stored.issue.distribution[prepared.tier][0];
  const email = "recipient@example.com";
  const { subject, html, text } = prepared.personalise(
    { email, name: "示例收件人", ...(organization ? { organization } : {}) },
    recipientLinks(deps, "pre-send-check", stored.id, email),
  );
  return { tier: prepared.tier, subject, html, text, shortened: prepared.shortened };
}
