/**
 * First start on an empty database: create the owner account and print one API key, so a
 * self-hoster can use the API right away. The owner is also the stdio MCP default account.
 */
import type { Core } from './core/core.js';
import type { Account } from './core/types.js';

export const LOCAL_OWNER_EXTERNAL_ID = 'local:owner';

export async function ensureOwner(core: Core): Promise<{ owner: Account; newKey: string | null }> {
  const repos = core.deps.repos;
  const existing = await repos.accounts.findByExternalId(LOCAL_OWNER_EXTERNAL_ID);
  if (existing) return { owner: existing, newKey: null };
  const now = core.deps.clock.now().toISOString();
  const owner = await repos.accounts.upsertByExternalId({
    id: core.deps.ids.id('acc'),
    email: null,
    plan: 'pro',
    external_id: LOCAL_OWNER_EXTERNAL_ID,
    created_at: now,
    expires_at: null,
  });
  // Two instances starting at once both reach here; only print a key for an account with none.
  const keys = await repos.credentials.listByAccount(owner.id, 'api_key');
  if (keys.length > 0) return { owner, newKey: null };
  const { secret } = await core.accounts.issueApiKey(owner.id, 'owner (first start)');
  return { owner, newKey: secret };
}
