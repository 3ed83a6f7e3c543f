import type { FileStore } from "../issue/issue-files.ts";

/** FileStore in memory, for unit tests; its upload URLs point nowhere (PUT with `accept`). */
export class InMemoryFileStore implements FileStore {
  readonly files = new Map<string, { bytes: Uint8Array; contentType: string }>();

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    this.files.set(key, { bytes: new Uint8Array(bytes), contentType });
  }
  async get(key: string): Promise<Uint8Array | null> {
    return this.files.get(key)?.bytes ?? null;
  }
  async size(key: string): Promise<number | null> {
    return this.files.get(key)?.bytes.length ?? null;
  }
  async delete(key: string): Promise<void> {
    this.files.delete(key);
  }
  async uploadUrl(
    key: string,
    opts: { contentType: string },
  ): Promise<{ url: string; headers: Record<string, string> }> {
    return { url: `memory://${key}`, headers: { "Content-Type": opts.contentType } };
  }
}
