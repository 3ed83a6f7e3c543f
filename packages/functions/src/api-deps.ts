import { randomUUID } from "node:crypto";
import { S3Client } from "@aws-sdk/client-s3";
import { type ApiDeps, hashToken } from "@bulletin/api";
import { settingsRenderer } from "@bulletin/core";
import { MjmlRenderer } from "@bulletin/mjml";
import { PdfJsReader } from "@bulletin/pdf";
import { SesSenderIdentity } from "@bulletin/ses";
import { S3FileStore } from "@bulletin/s3";
import { dynamoClient, eventWiring, readiness, sesClient } from "@bulletin/wiring";
import type { AwsRuntime } from "./aws-runtime.ts";

/**
 * The api's dependencies on AWS, wired as the local stack wires them. The bootstrap admin token
 * (the AdminToken secret) is registered on first use, so a new deployment can be signed into at
 * once; only its hash is stored.
 *
 * @example
 * const app = createApp(await apiDeps(container()));
 */
export async function apiDeps(rt: AwsRuntime): Promise<ApiDeps> {
  const { config, stores } = rt;
  const hash = hashToken(config.adminToken);
  if (!(await stores.tokens.findByHash(hash))) {
    await stores.tokens.create({
      hash,
      role: "admin",
      label: "bootstrap (AdminToken secret)",
      createdAt: rt.clock.now().toISOString(),
    });
  }
  return {
    ...stores,
    ...eventWiring(stores, rt.clock, {
      trackEngagement: config.trackEngagement,
      transientBouncesToSuppress: config.transientBouncesToSuppress,
      domainGroups: config.domainGroups,
    }),
    // Renders with the association's settings as stored (the 设置 page), today's defaults until then.
    renderer: settingsRenderer(stores.settings, (s) => new MjmlRenderer(s), rt.clock),
    // The original PDFs and uploads: only the api is linked to the bucket.
    files: new S3FileStore(new S3Client({}), config.filesBucket),
    pdf: new PdfJsReader(config.pdfjsAssets ? { assetsDir: config.pdfjsAssets } : {}),
    queue: rt.queue,
    clock: rt.clock,
    dispatch: (sendId) => rt.dispatch(sendId),
    publicUrl: config.publicUrl,
    // The pre-send checks' DKIM: GetEmailIdentity of the From address's domain (infra/api.ts grants it).
    sender: { fromEmail: config.fromEmail, identity: new SesSenderIdentity(sesClient()), localStack: false },
    domainGroups: config.domainGroups,
    unsubscribeKey: config.unsubscribeKey,
    sessionKey: config.sessionKey,
    unsubscribeMailto: config.unsubscribeMailto,
    ready: readiness({
      dynamodb: dynamoClient(),
      ses: sesClient(),
      sqs: rt.sqs,
      tableName: config.tableName,
      queueUrl: config.sendQueueUrl,
    }),
    newId: () => randomUUID(),
  };
}
