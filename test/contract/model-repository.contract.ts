/** Contract for ModelRepository: quota-checked insert, owner scoping, keyset pagination. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import type { Repositories } from '../../src/core/ports/repositories.js';
import type { Model } from '../../src/core/types.js';
import { at, makeAccount, makeModel, uid } from './repository-fixtures.js';

const NO_QUOTA = { maxModels: 1000, maxTotalBytes: 1e12 };

export function describeModelContract(repos: () => Repositories) {
  async function owner(): Promise<string> {
    const a = makeAccount();
    await repos().accounts.insert(a);
    return a.id;
  }

  async function insert(m: Model) {
    expect(await repos().models.insertWithinQuota(m, NO_QUOTA)).toEqual({ ok: true });
    return m;
  }

  async function pageThrough(ownerId: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await repos().models.list(ownerId, { limit, cursor });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((m) => m.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 100);
    return { ids, pages };
  }

  describe('models', () => {
    it('round-trips every field, JSON and booleans included', async () => {
      const me = await owner();
      const m = await insert(
        makeModel(me, {
          published: true,
          look_id: uid('look'),
          layout_id: 'square',
          thumbnail: { status: 'ready', keys: { '512': 'models/x/512.webp' }, rendered_at: at(3), error: null },
        }),
      );
      expect(await repos().models.findOwned(me, m.id)).toEqual(m);
      expect(await repos().models.findById(m.id)).toEqual(m);
    });

    it('hides another owner’s model from owner-scoped reads and writes', async () => {
      const me = await owner();
      const other = await owner();
      const m = await insert(makeModel(me));
      expect(await repos().models.findOwned(other, m.id)).toBeNull();
      expect(await repos().models.update(other, m.id, { name: 'hijacked', published: true }, at(9))).toBeNull();
      expect(await repos().models.delete(other, m.id)).toBeNull();
      expect((await repos().models.list(other, { limit: 10, cursor: null })).items).toEqual([]);
      expect(await repos().models.findOwned(me, m.id)).toEqual(m);
    });

    it('updates the given fields and updated_at; unknown id → null', async () => {
      const me = await owner();
      const m = await insert(makeModel(me));
      const thumbnail = { status: 'stale' as const, keys: { master: 'k' }, rendered_at: at(2), error: null };
      const updated = await repos().models.update(me, m.id, { name: 'Boot', published: true, look_id: 'look_1', overrides: { exposure: 2 }, thumbnail }, at(5));
      const expected = { ...m, name: 'Boot', published: true, look_id: 'look_1', overrides: { exposure: 2 }, thumbnail, updated_at: at(5) };
      expect(updated).toEqual(expected);
      expect(await repos().models.findOwned(me, m.id)).toEqual(expected);
      const cleared = await repos().models.update(me, m.id, { look_id: null, published: false }, at(6));
      expect(cleared).toMatchObject({ look_id: null, published: false, name: 'Boot', updated_at: at(6) });
      expect(await repos().models.update(me, uid('mdl'), { name: 'x' }, at(7))).toBeNull();
    });

    it('patchOverrides sets, removes with null, scopes by owner, and loses nothing under concurrency', async () => {
      const me = await owner();
      const other = await owner();
      const m = await insert({ ...makeModel(me), overrides: { exposure: 2, bg_color: '#000000' } });
      const patched = await repos().models.patchOverrides(me, m.id, { bg_color: null, auto_rotate: true }, at(3));
      expect(patched?.overrides).toEqual({ exposure: 2, auto_rotate: true });
      expect(patched?.updated_at).toBe(at(3));
      expect(await repos().models.patchOverrides(other, m.id, { exposure: 4 }, at(4))).toBeNull();
      const fields = ['bloom_enabled', 'ao_enabled', 'shadow_catcher_enabled', 'pan_enabled', 'zoom_enabled', 'controls_enabled', 'ui_loading_bar', 'ui_fullscreen_button'];
      await Promise.all(fields.map((f) => repos().models.patchOverrides(me, m.id, { [f]: true }, at(5))));
      const after = await repos().models.findOwned(me, m.id);
      for (const f of fields) expect(after?.overrides, f).toHaveProperty(f, true);
      expect(after?.overrides).toMatchObject({ exposure: 2, auto_rotate: true });
    });

    it('lists the owner’s models that use a look, and nobody else’s', async () => {
      const me = await owner();
      const other = await owner();
      const a = await insert({ ...makeModel(me), look_id: 'look_shared' });
      await insert({ ...makeModel(me), look_id: 'look_else' });
      await insert({ ...makeModel(other), look_id: 'look_shared' });
      expect((await repos().models.listByLook(me, 'look_shared')).map((m) => m.id)).toEqual([a.id]);
      expect(await repos().models.listByLook(me, 'look_none')).toEqual([]);
    });

    it('deletes once and returns the deleted model', async () => {
      const me = await owner();
      const m = await insert(makeModel(me));
      expect(await repos().models.delete(me, m.id)).toEqual(m);
      expect(await repos().models.delete(me, m.id)).toBeNull();
      expect(await repos().models.findById(m.id)).toBeNull();
    });

    it('reports usage and ids per owner', async () => {
      const me = await owner();
      const other = await owner();
      await insert(makeModel(me, { size_bytes: 100, created_at: at(1) }));
      await insert(makeModel(me, { size_bytes: 250, created_at: at(2) }));
      await insert(makeModel(other, { size_bytes: 999 }));
      expect(await repos().models.usage(me)).toEqual({ models: 2, bytes: 350 });
      expect(await repos().models.usage(uid('acc'))).toEqual({ models: 0, bytes: 0 });
      expect(await repos().models.listIdsByOwner(me)).toHaveLength(2);
    });

    it('reassigns every model of one owner to another', async () => {
      const from = await owner();
      const to = await owner();
      const moved = [await insert(makeModel(from)), await insert(makeModel(from))];
      await insert(makeModel(to));
      expect(await repos().models.reassignOwner(from, to)).toBe(2);
      expect(await repos().models.usage(from)).toEqual({ models: 0, bytes: 0 });
      expect((await repos().models.usage(to)).models).toBe(3);
      expect(await repos().models.findOwned(to, moved[0]!.id)).toMatchObject({ owner_id: to });
      expect(await repos().models.reassignOwner(from, to)).toBe(0);
    });
  });

  describe('models.insertWithinQuota', () => {
    it('refuses the model that would exceed the model count', async () => {
      const me = await owner();
      const quota = { maxModels: 2, maxTotalBytes: 1e9 };
      expect(await repos().models.insertWithinQuota(makeModel(me), quota)).toEqual({ ok: true });
      expect(await repos().models.insertWithinQuota(makeModel(me), quota)).toEqual({ ok: true });
      const refused = makeModel(me);
      expect(await repos().models.insertWithinQuota(refused, quota)).toEqual({ ok: false, limit: 'models' });
      expect(await repos().models.findById(refused.id)).toBeNull();
    });

    it('refuses the model that would exceed the storage quota, and fills it exactly', async () => {
      const me = await owner();
      const quota = { maxModels: 10, maxTotalBytes: 1000 };
      expect(await repos().models.insertWithinQuota(makeModel(me, { size_bytes: 600 }), quota)).toEqual({ ok: true });
      expect(await repos().models.insertWithinQuota(makeModel(me, { size_bytes: 401 }), quota)).toEqual({ ok: false, limit: 'storage' });
      expect(await repos().models.insertWithinQuota(makeModel(me, { size_bytes: 400 }), quota)).toEqual({ ok: true });
      expect(await repos().models.usage(me)).toEqual({ models: 2, bytes: 1000 });
    });

    it('admits exactly maxModels of 20 concurrent inserts', async () => {
      const me = await owner();
      const results = await Promise.all(Array.from({ length: 20 }, () => repos().models.insertWithinQuota(makeModel(me), { maxModels: 5, maxTotalBytes: 1e9 })));
      expect(results.filter((r) => r.ok)).toHaveLength(5);
      expect(results.filter((r) => !r.ok && r.limit === 'models')).toHaveLength(15);
      expect((await repos().models.usage(me)).models).toBe(5);
    });

    it('admits exactly what fits the storage quota under concurrency', async () => {
      const me = await owner();
      const results = await Promise.all(Array.from({ length: 10 }, () => repos().models.insertWithinQuota(makeModel(me, { size_bytes: 100 }), { maxModels: 100, maxTotalBytes: 350 })));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(await repos().models.usage(me)).toEqual({ models: 3, bytes: 300 });
    });
  });

  describe('models.list', () => {
    it('lists newest first, ties broken by id, across pages with no dupes or gaps', async () => {
      const me = await owner();
      const other = await owner();
      // Groups of three share a timestamp, so the id tie-break is exercised at page edges.
      const all: Model[] = [];
      for (let i = 0; i < 25; i++) all.push(await insert(makeModel(me, { created_at: at(Math.floor(i / 3)) })));
      await insert(makeModel(other, { created_at: at(100) }));
      const expected = all
        .slice()
        .sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1))
        .map((m) => m.id);
      for (const limit of [1, 3, 7, 25, 100]) {
        const { ids, pages } = await pageThrough(me, limit);
        expect(ids, `limit ${limit}`).toEqual(expected);
        expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(25 / limit)));
      }
    });

    it('returns no next_cursor on the last page, also when it is exactly full', async () => {
      const me = await owner();
      for (let i = 0; i < 4; i++) await insert(makeModel(me, { created_at: at(i) }));
      const first = await repos().models.list(me, { limit: 2, cursor: null });
      expect(first.next_cursor).not.toBeNull();
      const second = await repos().models.list(me, { limit: 2, cursor: first.next_cursor });
      expect(second.items).toHaveLength(2);
      expect(second.next_cursor).toBeNull();
      expect(await repos().models.list(await owner(), { limit: 5, cursor: null })).toEqual({ items: [], next_cursor: null });
    });

    it('is stable while newer models are inserted between pages', async () => {
      const me = await owner();
      const original: string[] = [];
      for (let i = 0; i < 10; i++) original.unshift((await insert(makeModel(me, { created_at: at(i) }))).id);
      const page1 = await repos().models.list(me, { limit: 4, cursor: null });
      for (let i = 0; i < 3; i++) await insert(makeModel(me, { created_at: at(50 + i) }));
      const page2 = await repos().models.list(me, { limit: 4, cursor: page1.next_cursor });
      const page3 = await repos().models.list(me, { limit: 4, cursor: page2.next_cursor });
      expect([...page1.items, ...page2.items, ...page3.items].map((m) => m.id)).toEqual(original);
      expect(page3.next_cursor).toBeNull();
    });

    it('rejects a limit below 1 with invalid_request', async () => {
      const me = await owner();
      for (const limit of [0, -1, 1.5]) {
        const err = await repos().models.list(me, { limit, cursor: null }).then(() => null, (e: unknown) => e);
        expect(isAppError(err) && err.code, String(limit)).toBe('invalid_request');
      }
    });

    it('treats an empty cursor as the first page', async () => {
      const me = await owner();
      const m = await insert(makeModel(me));
      expect((await repos().models.list(me, { limit: 5, cursor: '' })).items.map((x) => x.id)).toEqual([m.id]);
    });

    it('rejects a garbage cursor with invalid_request', async () => {
      const me = await owner();
      await insert(makeModel(me));
      await insert(makeModel(me));
      const valid = (await repos().models.list(me, { limit: 1, cursor: null })).next_cursor!;
      const garbage = [
        `${valid}!!`,
        `${valid.slice(0, -2)}`,
        'garbage!!',
        'not a cursor',
        Buffer.from('{"a":1}').toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
        Buffer.from('["yesterday","mdl_1"]').toString('base64url'),
        Buffer.from('not json at all').toString('base64url'),
        'x'.repeat(5000),
      ];
      for (const cursor of garbage) {
        const err = await repos().models.list(me, { limit: 5, cursor }).then(() => null, (e: unknown) => e);
        expect(isAppError(err) && err.code, cursor.slice(0, 40)).toBe('invalid_request');
      }
    });
  });
}
