/**
 * Deletes expired anonymous accounts with everything they own. Safe to run on many instances at
 * once: the row delete is atomic and only the caller that deleted the rows deletes the files.
 */
import type { CoreDeps } from '../deps.js';
import { modelBlobPrefix } from '../models/model-service.js';

export class AnonymousSweeper {
  constructor(private readonly d: CoreDeps) {}

  async sweep(): Promise<{ accounts: number; models: number }> {
    let accounts = 0;
    let models = 0;
    for (;;) {
      const expired = await this.d.repos.accounts.listExpired(this.d.clock.now().toISOString(), 50);
      if (expired.length === 0) break;
      for (const account of expired) {
        const deleted = await this.d.repos.accounts.deleteCascade(account.id);
        if (!deleted) continue;
        accounts++;
        for (const id of deleted.modelIds) {
          await this.d.blobs.deletePrefix(modelBlobPrefix(id)).catch((err) => this.d.log.warn({ err: String(err), model_id: id }, 'sweeper: blob delete failed'));
          models++;
        }
        for (const key of deleted.uploadKeys) await this.d.blobs.delete(key).catch(() => {});
      }
      if (expired.length < 50) break;
    }
    if (accounts) this.d.log.info({ accounts, models }, 'swept expired anonymous accounts');
    return { accounts, models };
  }
}
