/** Contract for UploadRepository (take exactly once) and FeedbackRepository. */
import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/core/ports/repositories.js';
import { at, makeAccount, makeUpload, uid } from './repository-fixtures.js';

export function describeUploadFeedbackContract(repos: () => Repositories) {
  async function owner(): Promise<string> {
    const a = makeAccount();
    await repos().accounts.insert(a);
    return a.id;
  }

  describe('uploads', () => {
    it('stores an upload and finds it for its owner only', async () => {
      const me = await owner();
      const other = await owner();
      const u = makeUpload(me);
      await repos().uploads.insert(u);
      expect(await repos().uploads.findOwned(me, u.id)).toEqual(u);
      expect(await repos().uploads.findOwned(other, u.id)).toBeNull();
    });

    it('marks an upload received for its owner only', async () => {
      const me = await owner();
      const other = await owner();
      const u = makeUpload(me);
      await repos().uploads.insert(u);
      expect(await repos().uploads.markReceived(other, u.id, 10)).toBe(false);
      expect(await repos().uploads.findOwned(me, u.id)).toEqual(u);
      expect(await repos().uploads.markReceived(me, u.id, 1234)).toBe(true);
      expect(await repos().uploads.findOwned(me, u.id)).toEqual({ ...u, status: 'received', size_bytes: 1234 });
      expect(await repos().uploads.markReceived(me, uid('upl'), 1)).toBe(false);
    });

    it('take removes and returns the row for exactly one of many racing callers', async () => {
      const me = await owner();
      const other = await owner();
      const u = makeUpload(me, { status: 'received', size_bytes: 99 });
      await repos().uploads.insert(u);
      expect(await repos().uploads.take(other, u.id)).toBeNull();
      expect(await repos().uploads.findOwned(me, u.id)).toEqual(u);
      const results = await Promise.all(Array.from({ length: 10 }, () => repos().uploads.take(me, u.id)));
      expect(results.filter((x) => x !== null)).toEqual([u]);
      expect(await repos().uploads.findOwned(me, u.id)).toBeNull();
    });

    it('lists expired uploads oldest first, up to the limit, and deletes by id', async () => {
      const me = await owner();
      // Far-past expiries keep rows from other tests (shared databases) out of the result.
      const e1 = makeUpload(me, { expires_at: '2000-01-01T00:00:02.000Z' });
      const e2 = makeUpload(me, { expires_at: '2000-01-01T00:00:01.000Z' });
      const live = makeUpload(me, { expires_at: '2000-01-01T00:00:09.000Z' });
      for (const u of [e1, e2, live]) await repos().uploads.insert(u);
      const now = '2000-01-01T00:00:02.000Z';
      expect(await repos().uploads.listExpired(now, 10)).toEqual([e2, e1]);
      expect(await repos().uploads.listExpired(now, 1)).toEqual([e2]);
      await repos().uploads.delete(e2.id);
      expect(await repos().uploads.listExpired(now, 10)).toEqual([e1]);
      await repos().uploads.delete(uid('upl'));
    });
  });

  describe('feedback', () => {
    it('stores feedback with and without an account (it outlives anonymous accounts)', async () => {
      const me = await owner();
      await repos().feedback.insert({ id: uid('fb'), account_id: me, type: 'bug', message: 'It broke', page: '/embed/x', meta: { ua: 'test', n: 1 }, created_at: at(1) });
      await repos().feedback.insert({ id: uid('fb'), account_id: null, type: 'other', message: 'hi', page: null, meta: null, created_at: at(2) });
      await repos().feedback.insert({ id: uid('fb'), account_id: uid('acc'), type: 'feature', message: 'swept account', page: null, meta: null, created_at: at(3) });
    });
  });
}
