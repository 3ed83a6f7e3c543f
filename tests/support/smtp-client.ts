import { connect } from "node:net";

/**
 * Sends one message over SMTP to a server on this machine, the way a mail client would (HELO, MAIL,
 * RCPT, DATA), and returns each reply. It stops at the first refusal and returns what was said.
 *
 * @example
 * const replies = await smtpSend(2525, "a@qq.com", "unsubscribe@example.org", raw);
 */
export function smtpSend(port: number, from: string, to: string, message: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const replies: string[] = [];
    const steps = [
      `EHLO test.example`,
      `MAIL FROM:<${from}>`,
      `RCPT TO:<${to}>`,
      "DATA",
      `${message.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..")}\r\n.`,
      "QUIT",
    ];
    let buffer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      // A reply is complete at a line "NNN text" (not "NNN-text").
      const lines = buffer.split("\r\n");
      const done = lines.findIndex((l) => /^\d{3} /.test(l));
      if (done < 0) return;
      const reply = lines.slice(0, done + 1).join("\n");
      buffer = lines.slice(done + 1).join("\r\n");
      replies.push(reply);
      const code = Number(reply.slice(reply.lastIndexOf("\n") + 1, reply.lastIndexOf("\n") + 4));
      if (code >= 400 || steps.length === 0) {
        socket.end();
        return;
      }
      socket.write(`${steps.shift()}\r\n`);
    });
    socket.on("error", reject);
    socket.on("close", () => resolve(replies));
  });
}
