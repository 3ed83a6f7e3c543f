import { parseArgs } from "node:util";
import { ROLES } from "@bulletin/core";
import { readServiceConfig } from "../cli-config.ts";
import { type CliIo, UsageError } from "../cli-io.ts";
import { callService } from "../service-client.ts";

export const tokensUsage = `usage: bulletin tokens list
       bulletin tokens create --role admin|secretariat|viewer --label TEXT [--expires 2026-12-31T23:59:59+08:00]
       bulletin tokens revoke ID

list shows every token (id, role, label, created, last used, expiry; never the secret).
create prints the new secret once: give it to its owner, it cannot be shown again.
revoke ends the token and every dashboard session made with it at once.
Acts on the running service (an admin token): BULLETIN_URL and BULLETIN_TOKEN.`;

interface TokenSummary {
  id: string;
  role: string;
  label: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  expired: boolean;
}

/**
 * `bulletin tokens list|create|revoke`.
 *
 * @example
 * await tokensCommand(["create", "--role", "viewer", "--label", "审计"], io);
 */
export async function tokensCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { role: { type: "string" }, label: { type: "string" }, expires: { type: "string" } },
  });
  const config = readServiceConfig(io.env);
  if (action === "list") {
    const { items } = (await (await callService(config, "GET", "/api/tokens")).json()) as { items: TokenSummary[] };
    io.out("id\trole\tlabel\tcreated\tlast used\texpires\n");
    for (const t of items) {
      const expires = t.expiresAt ? `${t.expiresAt}${t.expired ? " (expired)" : ""}` : "never";
      io.out(`${t.id}\t${t.role}\t${t.label}\t${t.createdAt}\t${t.lastUsedAt ?? "never"}\t${expires}\n`);
    }
    return 0;
  }
  if (action === "create") {
    if (!values.role || !(ROLES as readonly string[]).includes(values.role))
      throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    if (!values.label) throw new UsageError("--label is missing: say whose token it is");
    if (values.expires !== undefined && Number.isNaN(Date.parse(values.expires)))
      throw new UsageError("--expires must be a date and time, e.g. 2026-12-31T23:59:59+08:00");
    const body = {
      role: values.role,
      label: values.label,
      ...(values.expires ? { expiresAt: new Date(values.expires).toISOString() } : {}),
    };
    const t = (await (
      await callService(config, "POST", "/api/tokens", { type: "application/json", data: JSON.stringify(body) })
    ).json()) as TokenSummary & { token: string };
    io.out(`${t.token}\n`);
    io.err(
      `created token ${t.id} (${t.role}, ${t.label}${t.expiresAt ? `, expires ${t.expiresAt}` : ""}): the secret above is shown this once\n`,
    );
    return 0;
  }
  if (action === "revoke") {
    if (positionals.length !== 1)
      throw new UsageError("give the ID of the token to revoke (bulletin tokens list shows it)");
    await callService(config, "DELETE", `/api/tokens/${encodeURIComponent(positionals[0]!)}`);
    io.out(`revoked token ${positionals[0]}\n`);
    return 0;
  }
  throw new UsageError(action ? `unknown action "${action}"` : "say list, create or revoke");
}
