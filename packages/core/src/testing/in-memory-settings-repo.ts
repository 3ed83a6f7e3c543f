import type { SettingsRepo, StoredSettings } from "../settings/settings.ts";

/**
 * The association's settings in memory: nothing until put.
 *
 * @example
 * const settings = new InMemorySettingsRepo();
 * await settings.put({ settings: DEFAULT_ASSOCIATION_SETTINGS, updatedAt, updatedBy: "test" });
 */
export class InMemorySettingsRepo implements SettingsRepo {
  private stored: StoredSettings | null = null;

  async get(): Promise<StoredSettings | null> {
    return this.stored && structuredClone(this.stored);
  }

  async put(stored: StoredSettings): Promise<void> {
    this.stored = structuredClone(stored);
  }
}
