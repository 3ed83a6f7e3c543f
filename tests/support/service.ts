import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashToken, newTokenSecret } from "@bulletin/api";
import type { Role } from "@bulletin/core";
import { readLocalConfig, startLocalService, type LocalService } from "@bulletin/local";

/**
 * The real local service (DynamoDB Local, aws-ses-v2-local, fauxqs, the Hono app) on free ports in a temp
 * DATA_DIR, with one token per role. Integration tests use this, never mocks.
 *
 * The simulated SES events (LOCAL_SES_EVENTS) are off unless `env` turns them on: tests of the
 * sending side then see exactly what the sender settled ("sent"), not a race with "delivered".
 */
export async function startTestService(env: Record<string, string> = {}): Promise<{
  service: LocalService;
  dataDir: string;
  tokens: Record<Role, string>;
  api: (path: string, init?: RequestInit & { role?: Role }) => Promise<Response>;
}> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), "bulletin-it-"));
  const service = await startLocalService(
    readLocalConfig(
      {
        LOCAL_DYNAMODB_URL: process.env.LOCAL_DYNAMODB_URL ?? "",
        PORT: "0",
        LOCAL_SES_PORT: "0",
        DATA_DIR: dataDir,
        LOCAL_SES_EVENTS: "off",
        ...env,
      },
      [],
    ),
  );
  const tokens = { admin: service.adminToken } as Record<Role, string>;
  for (const role of ["secretariat", "viewer"] as const) {
    tokens[role] = newTokenSecret();
    await service.deps.tokens.create({
      hash: hashToken(tokens[role]),
      role,
      label: `test ${role}`,
      createdAt: new Date().toISOString(),
    });
  }
  const api = (path: string, init: RequestInit & { role?: Role } = {}) => {
    const { role, headers, ...rest } = init;
    return fetch(`${service.url}${path}`, {
      ...rest,
      headers: {
        ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}),
        ...(headers as Record<string, string> | undefined),
      },
    });
  };
  return { service, dataDir, tokens, api };
}
