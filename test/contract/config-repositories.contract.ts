/** Contract for LookRepository and LayoutRepository (same shape, same detach-on-delete rule). */
import { describe, expect, it } from 'vitest';
import type { LayoutRepository, LookRepository, Repositories } from '../../src/core/ports/repositories.js';
import type { Layout, Look } from '../../src/core/types.js';
import { at, makeAccount, makeLayout, makeLook, makeModel, uid } from './repository-fixtures.js';

const NO_QUOTA = { maxModels: 1000, maxTotalBytes: 1e12 };

type ConfigRecord = Look | Layout;

/** The common surface of both repositories, so one test body covers both. */
interface ConfigRepo {
  insert(x: ConfigRecord): Promise<void>;
  findOwned(ownerId: string, id: string): Promise<ConfigRecord | null>;
  findById(id: string): Promise<ConfigRecord | null>;
  list(ownerId: string): Promise<ConfigRecord[]>;
  update(ownerId: string, id: string, fields: { name?: string; config?: Look['config'] }, now: string): Promise<ConfigRecord | null>;
  delete(ownerId: string, id: string): Promise<boolean>;
  reassignOwner(fromOwnerId: string, toOwnerId: string): Promise<number>;
}

interface Kind {
  name: 'looks' | 'layouts';
  repo: (r: Repositories) => LookRepository | LayoutRepository;
  make: (ownerId: string, over?: Partial<Look & Layout>) => ConfigRecord;
  modelColumn: 'look_id' | 'layout_id';
}

const KINDS: Kind[] = [
  { name: 'looks', repo: (r) => r.looks, make: makeLook, modelColumn: 'look_id' },
  { name: 'layouts', repo: (r) => r.layouts, make: makeLayout, modelColumn: 'layout_id' },
];

export function describeConfigContract(repos: () => Repositories) {
  async function owner(): Promise<string> {
    const a = makeAccount();
    await repos().accounts.insert(a);
    return a.id;
  }

  for (const kind of KINDS) {
    // Each repo only ever receives records made by its own kind.make, so the widening is safe.
    const store = () => kind.repo(repos()) as ConfigRepo;

    describe(kind.name, () => {
      it('stores, finds (scoped and unscoped) and lists newest first', async () => {
        const me = await owner();
        const other = await owner();
        const older = kind.make(me, { created_at: at(1), updated_at: at(1) });
        const newer = kind.make(me, { created_at: at(2), updated_at: at(2) });
        const foreign = kind.make(other);
        for (const x of [older, newer, foreign]) await store().insert(x);
        expect(await store().findOwned(me, older.id)).toEqual(older);
        expect(await store().findById(older.id)).toEqual(older);
        expect(await store().findOwned(me, foreign.id)).toBeNull();
        expect(await store().findById(uid('x'))).toBeNull();
        expect(await store().list(me)).toEqual([newer, older]);
      });

      it('updates name and/or config for the owner only', async () => {
        const me = await owner();
        const other = await owner();
        const x = kind.make(me);
        await store().insert(x);
        expect(await store().update(other, x.id, { name: 'stolen' }, at(5))).toBeNull();
        expect(await store().findOwned(me, x.id)).toEqual(x);
        const renamed = await store().update(me, x.id, { name: 'Renamed' }, at(6));
        expect(renamed).toEqual({ ...x, name: 'Renamed', updated_at: at(6) });
        const reconfigured = await store().update(me, x.id, { config: { exposure: 3 } }, at(7));
        expect(reconfigured).toEqual({ ...x, name: 'Renamed', config: { exposure: 3 }, updated_at: at(7) });
        expect(await store().update(me, uid('x'), { name: 'nope' }, at(8))).toBeNull();
      });

      it('deletes for the owner only, and detaches it from the owner’s models', async () => {
        const r = repos();
        const me = await owner();
        const other = await owner();
        const x = kind.make(me);
        const kept = kind.make(me);
        await store().insert(x);
        await store().insert(kept);
        const using = makeModel(me, { [kind.modelColumn]: x.id });
        const usingKept = makeModel(me, { [kind.modelColumn]: kept.id });
        for (const m of [using, usingKept]) await r.models.insertWithinQuota(m, NO_QUOTA);

        expect(await store().delete(other, x.id)).toBe(false);
        expect(await store().findOwned(me, x.id)).toEqual(x);
        expect((await r.models.findOwned(me, using.id))?.[kind.modelColumn]).toBe(x.id);

        expect(await store().delete(me, x.id)).toBe(true);
        expect(await store().findById(x.id)).toBeNull();
        expect(await r.models.findOwned(me, using.id)).toEqual({ ...using, [kind.modelColumn]: null });
        expect(await r.models.findOwned(me, usingKept.id)).toEqual(usingKept);
        expect(await store().delete(me, x.id)).toBe(false);
      });

      it('reassigns every row of one owner to another', async () => {
        const from = await owner();
        const to = await owner();
        const a = kind.make(from);
        const b = kind.make(from);
        await store().insert(a);
        await store().insert(b);
        expect(await store().reassignOwner(from, to)).toBe(2);
        expect(await store().list(from)).toEqual([]);
        expect(await store().findOwned(to, a.id)).toEqual({ ...a, owner_id: to });
      });
    });
  }
}
