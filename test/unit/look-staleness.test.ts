/**
 * Editing or deleting a look changes what every showcase using it looks like, so the core must
 * report those models (the thumbnail service marks them stale). Real SQLite; only the hook is a spy.
 */
import { describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/core.js';
import type { CoreDeps } from '../../src/core/deps.js';
import { systemClock } from '../../src/core/ports/clock.js';
import { randomIds } from '../../src/core/random-ids.js';
import type { Model } from '../../src/core/types.js';
import { openSqliteRepositories } from '../../src/store/sqlite/open-sqlite.js';
import { makeModel } from '../contract/repository-fixtures.js';

function setup() {
  const repos = openSqliteRepositories(':memory:');
  const deps = {
    repos,
    hdris: { list: async () => [], find: async () => null },
    clock: systemClock,
    ids: randomIds,
    settings: { plans: {}, publicBaseUrl: 'http://x' },
    log: { info() {}, warn() {}, error() {} },
  } as unknown as CoreDeps;
  const core = createCore(deps);
  const changed: string[] = [];
  core.models.onConfigChanged((m: Model) => changed.push(m.id));
  return { repos, core, changed };
}

describe('look changes reach the models that use the look', () => {
  it('a config edit reports each model using the look; a rename reports none', async () => {
    const { repos, core, changed } = setup();
    const owner = await core.accounts.createAccount({ email: null, plan: 'pro' });
    const p = { accountId: owner.id, plan: 'pro' as const, kind: 'api_key' as const, credentialId: null };
    const look = await core.looks.create(p, { name: 'Studio', config: { bg_color: '#ffffff' } });
    const user = { ...makeModel(owner.id), look_id: look.id };
    const bystander = makeModel(owner.id);
    for (const m of [user, bystander]) await repos.models.insertWithinQuota(m, { maxModels: 10, maxTotalBytes: 1e9 });

    await core.looks.update(p, look.id, { name: 'Renamed' });
    expect(changed).toEqual([]);
    await core.looks.update(p, look.id, { config: { bg_color: '#000000' } });
    expect(changed).toEqual([user.id]);
    await core.looks.delete(p, look.id);
    expect(changed).toEqual([user.id, user.id]);
    expect((await repos.models.findOwned(owner.id, user.id))?.look_id).toBeNull();
  });
});
