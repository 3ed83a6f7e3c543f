import { createServer } from "node:net";

/**
 * A free TCP port for an emulator that binds it a moment later, and again after each restart. It
 * is drawn below Linux's ephemeral range (32768–60999): a port the kernel picked for someone's
 * `listen(0)` could be handed to another process (a parallel test file, fauxqs binding 0.0.0.0)
 * between this check and the emulator's bind, which made runs fail with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const srv = createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "0.0.0.0", () => srv.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
