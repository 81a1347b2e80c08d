/** Contract for AccountRepository and CredentialRepository, including the cascade delete. */
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.js';
import type { Repositories } from '../../src/core/ports/repositories.js';
import { at, makeAccount, makeCredential, makeLayout, makeLook, makeModel, makeUpload, uid } from './repository-fixtures.js';

const NO_QUOTA = { maxModels: 1000, maxTotalBytes: 1e12 };

export function describeAccountContract(repos: () => Repositories) {
  describe('accounts', () => {
    it('stores and finds an account by id', async () => {
      const a = makeAccount({ email: 'a@example.com', plan: 'pro' });
      await repos().accounts.insert(a);
      expect(await repos().accounts.findById(a.id)).toEqual(a);
      expect(await repos().accounts.findById(uid('acc'))).toBeNull();
    });

    it('counts accounts', async () => {
      const before = await repos().accounts.count();
      await repos().accounts.insert(makeAccount());
      expect(await repos().accounts.count()).toBe(before + 1);
    });

    it('upserts by external id: inserts once, then returns the stored row untouched', async () => {
      const sub = uid('sub');
      const first = makeAccount({ external_id: sub, email: 'first@example.com' });
      expect(await repos().accounts.upsertByExternalId(first)).toEqual(first);
      const again = await repos().accounts.upsertByExternalId(makeAccount({ external_id: sub, email: 'second@example.com' }));
      expect(again).toEqual(first);
      expect(await repos().accounts.findByExternalId(sub)).toEqual(first);
      expect(await repos().accounts.findByExternalId(uid('sub'))).toBeNull();
    });

    it('makes one account when many first requests for one subject race', async () => {
      const sub = uid('sub');
      const before = await repos().accounts.count();
      const results = await Promise.all(Array.from({ length: 10 }, () => repos().accounts.upsertByExternalId(makeAccount({ external_id: sub }))));
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(await repos().accounts.count()).toBe(before + 1);
    });

    it('updates only the given fields and returns the row; unknown id → null', async () => {
      const a = makeAccount({ plan: 'anonymous', expires_at: at(100) });
      await repos().accounts.insert(a);
      const updated = await repos().accounts.update(a.id, { plan: 'free', expires_at: null });
      expect(updated).toEqual({ ...a, plan: 'free', expires_at: null });
      expect(await repos().accounts.update(a.id, {})).toEqual(updated);
      expect(await repos().accounts.update(uid('acc'), { plan: 'pro' })).toBeNull();
    });

    it('lists expired anonymous accounts oldest first, up to the limit', async () => {
      // Timestamps far in the past keep other tests' rows (shared databases) out of the way.
      const old = '2000-01-01T00:00:0';
      const a1 = makeAccount({ plan: 'anonymous', expires_at: `${old}2.000Z` });
      const a2 = makeAccount({ plan: 'anonymous', expires_at: `${old}1.000Z` });
      const a3 = makeAccount({ plan: 'anonymous', expires_at: `${old}3.000Z` });
      const notYet = makeAccount({ plan: 'anonymous', expires_at: `${old}9.000Z` });
      const permanent = makeAccount({ plan: 'free', expires_at: null });
      for (const a of [a1, a2, a3, notYet, permanent]) await repos().accounts.insert(a);
      const now = `${old}3.000Z`;
      expect((await repos().accounts.listExpired(now, 10)).map((a) => a.id)).toEqual([a2.id, a1.id, a3.id]);
      expect((await repos().accounts.listExpired(now, 2)).map((a) => a.id)).toEqual([a2.id, a1.id]);
    });
  });

  describe('accounts.deleteCascade', () => {
    async function seedOwner() {
      const r = repos();
      const account = makeAccount({ plan: 'anonymous', expires_at: at(10) });
      await r.accounts.insert(account);
      const cred = makeCredential(account.id, { kind: 'anonymous_session' });
      const key = makeCredential(account.id);
      await r.credentials.insert(cred);
      await r.credentials.insert(key);
      const models = [makeModel(account.id, { created_at: at(1) }), makeModel(account.id, { created_at: at(2) })];
      for (const m of models) expect(await r.models.insertWithinQuota(m, NO_QUOTA)).toEqual({ ok: true });
      const look = makeLook(account.id);
      const layout = makeLayout(account.id);
      const upload = makeUpload(account.id);
      await r.looks.insert(look);
      await r.layouts.insert(layout);
      await r.uploads.insert(upload);
      return { account, cred, key, models, look, layout, upload };
    }

    it('deletes everything the account owns, returns the model ids, and leaves others alone', async () => {
      const r = repos();
      const victim = await seedOwner();
      const bystander = await seedOwner();
      const result = await r.accounts.deleteCascade(victim.account.id);
      expect(result?.modelIds.slice().sort()).toEqual(victim.models.map((m) => m.id).sort());

      expect(await r.accounts.findById(victim.account.id)).toBeNull();
      expect(await r.credentials.findByHash(victim.cred.hash)).toBeNull();
      expect(await r.credentials.findByHash(victim.key.hash)).toBeNull();
      for (const m of victim.models) expect(await r.models.findById(m.id)).toBeNull();
      expect(await r.looks.findById(victim.look.id)).toBeNull();
      expect(await r.layouts.findById(victim.layout.id)).toBeNull();
      expect(await r.uploads.findOwned(victim.account.id, victim.upload.id)).toBeNull();

      expect(await r.accounts.findById(bystander.account.id)).toEqual(bystander.account);
      expect(await r.credentials.findByHash(bystander.key.hash)).toEqual(bystander.key);
      expect(await r.models.listIdsByOwner(bystander.account.id)).toHaveLength(2);
      expect(await r.looks.findById(bystander.look.id)).toEqual(bystander.look);
      expect(await r.layouts.findById(bystander.layout.id)).toEqual(bystander.layout);
      expect(await r.uploads.findOwned(bystander.account.id, bystander.upload.id)).toEqual(bystander.upload);
    });

    it('is idempotent: a second call returns null', async () => {
      const { account } = await seedOwner();
      expect(await repos().accounts.deleteCascade(account.id)).not.toBeNull();
      expect(await repos().accounts.deleteCascade(account.id)).toBeNull();
      expect(await repos().accounts.deleteCascade(uid('acc'))).toBeNull();
    });

    it('lets exactly one of several racing callers win', async () => {
      const { account, models } = await seedOwner();
      const results = await Promise.all(Array.from({ length: 5 }, () => repos().accounts.deleteCascade(account.id)));
      const winners = results.filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.modelIds).toHaveLength(models.length);
    });

    it('makes later inserts for the deleted account fail with unauthorized', async () => {
      const r = repos();
      const { account } = await seedOwner();
      await r.accounts.deleteCascade(account.id);
      const attempts: [string, () => Promise<unknown>][] = [
        ['model', () => r.models.insertWithinQuota(makeModel(account.id), NO_QUOTA)],
        ['look', () => r.looks.insert(makeLook(account.id))],
        ['layout', () => r.layouts.insert(makeLayout(account.id))],
        ['upload', () => r.uploads.insert(makeUpload(account.id))],
        ['credential', () => r.credentials.insert(makeCredential(account.id))],
      ];
      for (const [what, attempt] of attempts) {
        const err = await attempt().then(() => null, (e: unknown) => e);
        expect(isAppError(err) && err.code, what).toBe('unauthorized');
      }
      expect(await r.models.usage(account.id)).toEqual({ models: 0, bytes: 0 });
    });
  });

  describe('credentials', () => {
    async function owner() {
      const a = makeAccount();
      await repos().accounts.insert(a);
      return a;
    }

    it('stores a credential and finds it by hash', async () => {
      const a = await owner();
      const c = makeCredential(a.id, { expires_at: at(50) });
      await repos().credentials.insert(c);
      expect(await repos().credentials.findByHash(c.hash)).toEqual(c);
      expect(await repos().credentials.findByHash('0'.repeat(64))).toBeNull();
    });

    it('finds a credential with its account in one call, revoked or not', async () => {
      const a = makeAccount({ email: 'joined@example.com', plan: 'anonymous', expires_at: at(80), external_id: uid('sub') });
      await repos().accounts.insert(a);
      const c = makeCredential(a.id, { expires_at: at(50) });
      await repos().credentials.insert(c);
      expect(await repos().credentials.findByHashWithAccount(c.hash)).toEqual({ credential: c, account: a });
      expect(await repos().credentials.findByHashWithAccount('0'.repeat(64))).toBeNull();
      await repos().credentials.revoke(a.id, c.id, at(5));
      expect(await repos().credentials.findByHashWithAccount(c.hash)).toEqual({ credential: { ...c, revoked_at: at(5) }, account: a });
      const other = await owner();
      const k = makeCredential(other.id);
      await repos().credentials.insert(k);
      expect(await repos().credentials.findByHashWithAccount(k.hash)).toEqual({ credential: k, account: other });
      await repos().accounts.deleteCascade(other.id);
      expect(await repos().credentials.findByHashWithAccount(k.hash)).toBeNull();
    });

    it('lists an account’s live credentials of one kind, oldest first', async () => {
      const a = await owner();
      const b = await owner();
      const k1 = makeCredential(a.id, { created_at: at(1) });
      const k2 = makeCredential(a.id, { created_at: at(2) });
      const revoked = makeCredential(a.id, { created_at: at(3), revoked_at: at(4) });
      const session = makeCredential(a.id, { kind: 'anonymous_session' });
      const others = makeCredential(b.id);
      for (const c of [k2, revoked, k1, session, others]) await repos().credentials.insert(c);
      expect(await repos().credentials.listByAccount(a.id, 'api_key')).toEqual([k1, k2]);
      expect(await repos().credentials.listByAccount(a.id, 'anonymous_session')).toEqual([session]);
    });

    it('revokes once, only for its owner', async () => {
      const a = await owner();
      const b = await owner();
      const c = makeCredential(a.id);
      await repos().credentials.insert(c);
      expect(await repos().credentials.revoke(b.id, c.id, at(5))).toBe(false);
      expect((await repos().credentials.findByHash(c.hash))?.revoked_at).toBeNull();
      expect(await repos().credentials.revoke(a.id, uid('key'), at(5))).toBe(false);
      expect(await repos().credentials.revoke(a.id, c.id, at(5))).toBe(true);
      expect(await repos().credentials.revoke(a.id, c.id, at(6))).toBe(false);
      expect((await repos().credentials.findByHash(c.hash))?.revoked_at).toBe(at(5));
      expect(await repos().credentials.listByAccount(a.id, 'api_key')).toEqual([]);
    });

    it('touch records the last use', async () => {
      const a = await owner();
      const c = makeCredential(a.id);
      await repos().credentials.insert(c);
      await repos().credentials.touch(c.id, at(7));
      expect(await repos().credentials.findByHash(c.hash)).toEqual({ ...c, last_used_at: at(7) });
    });
  });
}
