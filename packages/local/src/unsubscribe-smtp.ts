import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAX_INBOUND_BYTES } from "@bulletin/wiring";
import { SMTPServer } from "smtp-server";

/**
 * The local stand-in for SES receiving: an SMTP server (smtp-server) on LOCAL_SMTP_PORT that takes
 * mail for the List-Unsubscribe mailbox only, keeps each one under DATA_DIR/inbound (as SES keeps
 * them in S3), and hands it to the same processing as the Lambda handler. Any mail client or
 * `swaks --server localhost:2525 --to unsubscribe@example.org` can test it. It listens on 127.0.0.1,
 * without authentication: it is the machine's own test mailbox.
 *
 * @example
 * const smtp = await startUnsubscribeSmtp({ port: 2525, mailbox: "unsubscribe@example.org", dir, process: (raw, at) => processUnsubscribeMail(raw, …), log });
 */
export async function startUnsubscribeSmtp(opts: {
  port: number;
  mailbox: string;
  /** Where each mail is kept, as it arrived. */
  dir: string;
  process: (raw: Buffer, storedAt: string) => Promise<string>;
  log: (line: string) => void;
}): Promise<{ port: number; stop(): Promise<void> }> {
  mkdirSync(opts.dir, { recursive: true });
  const server = new SMTPServer({
    name: "bulletin-local",
    banner: "bulletin unsubscribe mailbox (local)",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    size: MAX_INBOUND_BYTES,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== opts.mailbox.toLowerCase()) {
        callback(
          Object.assign(new Error(`550 5.1.1 this server only takes mail for ${opts.mailbox}`), { responseCode: 550 }),
        );
        return;
      }
      callback();
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error("552 5.3.4 message too large"), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const file = join(
          opts.dir,
          `${new Date().toISOString().replace(/[:.]/g, "-")}-${Math.random().toString(36).slice(2, 8)}.eml`,
        );
        writeFileSync(file, raw);
        opts
          .process(raw, file)
          .then((what) => {
            opts.log(`unsubscribe mailbox: ${what}`);
            callback();
          })
          .catch((e: unknown) => {
            opts.log(`unsubscribe mailbox: could not process ${file}: ${(e as Error).message}`);
            // A temporary failure: the sending server tries again later.
            callback(Object.assign(new Error("451 4.3.0 try again later"), { responseCode: 451 }));
          });
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", () => resolve((server.server.address() as { port: number }).port));
  });
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
