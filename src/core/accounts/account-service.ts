/**
 * Accounts, API keys and anonymous sessions. Authentication itself (bearer → Principal) lives in
 * src/auth; this service owns what an account can do with its credentials.
 */
import { AppError } from '../errors.js';
import { addMs } from '../clock-math.js';
import { modelBlobPrefix } from '../models/model-service.js';
import type { CoreDeps } from '../deps.js';
import type { Account, Credential, Principal } from '../types.js';
import { API_KEY_PREFIX, ANON_TOKEN_PREFIX, displayPrefix, hashToken, isWellFormedToken, mintToken } from './tokens.js';

export interface AccountInfo {
  account: Account;
  usage: { models: number; storage_bytes: number };
  limits: { requests_per_minute: number; max_models: number; max_storage_bytes: number; max_file_bytes: number };
}

export interface NewSecret {
  credential: Credential;
  /** The full secret, returned exactly once. */
  secret: string;
}

export class AccountService {
  constructor(private readonly d: CoreDeps) {}

  async info(p: Principal): Promise<AccountInfo> {
    const account = await this.d.repos.accounts.findById(p.accountId);
    if (!account) throw new AppError('unauthorized', 'This account no longer exists.');
    const usage = await this.d.repos.models.usage(p.accountId);
    const limits = this.d.settings.plans[account.plan];
    return {
      account,
      usage: { models: usage.models, storage_bytes: usage.bytes },
      limits: {
        requests_per_minute: Math.round((limits.rate.limit * 60_000) / limits.rate.periodMs),
        max_models: limits.maxModels,
        max_storage_bytes: limits.maxTotalBytes,
        max_file_bytes: limits.maxFileBytes,
      },
    };
  }

  /** Creates a regular account (used by the CLI and the first-start bootstrap). */
  async createAccount(input: { email: string | null; plan: Account['plan'] }): Promise<Account> {
    const account: Account = {
      id: this.d.ids.id('acc'),
      email: input.email,
      plan: input.plan,
      external_id: null,
      created_at: this.d.clock.now().toISOString(),
      expires_at: null,
    };
    await this.d.repos.accounts.insert(account);
    return account;
  }

  async createApiKey(p: Principal, name: string | undefined): Promise<NewSecret> {
    if (p.kind === 'anonymous') {
      throw new AppError('forbidden', 'Anonymous sessions cannot create API keys. Sign up first (POST /v1/account/upgrade or the vitrine_login tool), then create a key.');
    }
    return this.issueApiKey(p.accountId, name ?? 'API key');
  }

  async issueApiKey(accountId: string, name: string): Promise<NewSecret> {
    const secret = mintToken(API_KEY_PREFIX, this.d.ids);
    const credential: Credential = {
      id: this.d.ids.id('key'),
      account_id: accountId,
      kind: 'api_key',
      name,
      prefix: displayPrefix(secret),
      hash: hashToken(secret),
      created_at: this.d.clock.now().toISOString(),
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
    };
    await this.d.repos.credentials.insert(credential);
    return { credential, secret };
  }

  listApiKeys(p: Principal): Promise<Credential[]> {
    return this.d.repos.credentials.listByAccount(p.accountId, 'api_key');
  }

  async revokeApiKey(p: Principal, keyId: string): Promise<void> {
    const ok = await this.d.repos.credentials.revoke(p.accountId, keyId, this.d.clock.now().toISOString());
    if (!ok) throw new AppError('api_key_not_found', `No API key found with ID '${keyId}'.`);
  }

  /** A credential-less write creates an anonymous account that expires with everything it owns. */
  async createAnonymous(): Promise<{ account: Account; secret: string; expires_at: string }> {
    const now = this.d.clock.now();
    const expires_at = addMs(now, this.d.settings.anonymousTtlMs);
    const account: Account = {
      id: this.d.ids.id('acc'),
      email: null,
      plan: 'anonymous',
      external_id: null,
      created_at: now.toISOString(),
      expires_at,
    };
    await this.d.repos.accounts.insert(account);
    const secret = mintToken(ANON_TOKEN_PREFIX, this.d.ids);
    await this.d.repos.credentials.insert({
      id: this.d.ids.id('ses'),
      account_id: account.id,
      kind: 'anonymous_session',
      name: 'anonymous session',
      prefix: displayPrefix(secret),
      hash: hashToken(secret),
      created_at: now.toISOString(),
      last_used_at: null,
      expires_at,
      revoked_at: null,
    });
    return { account, secret, expires_at };
  }

  /**
   * Signing up converts the anonymous account in place: same id, plan free, expiry cleared, so
   * nothing has to move. Returns a first API key, since the session token still expires.
   */
  async upgradeAnonymous(p: Principal, email: string | null): Promise<{ account: Account; key: NewSecret }> {
    if (p.kind !== 'anonymous') {
      throw new AppError('invalid_request', 'This account is already permanent. To move an anonymous session into it, pass anonymous_token.');
    }
    if (!this.d.settings.allowSignup) {
      throw new AppError('forbidden', 'Self-service sign-up is turned off on this server (VITRINE_ALLOW_SIGNUP=false). Ask its operator for an API key, then claim this session with POST /v1/account/claim.');
    }
    const account = await this.d.repos.accounts.update(p.accountId, { plan: 'free', expires_at: null, email });
    if (!account) throw new AppError('unauthorized', 'This anonymous session has expired.');
    const key = await this.issueApiKey(account.id, 'first key');
    return { account, key };
  }

  /** Moves an anonymous session's models, looks and layouts into the caller's account. */
  async claimAnonymous(p: Principal, anonymousToken: string): Promise<{ moved_models: number }> {
    if (p.kind === 'anonymous') {
      throw new AppError('invalid_request', 'Claim from a permanent account; to keep this anonymous session, upgrade it instead.');
    }
    const notFound = new AppError('not_found', 'No live anonymous session matches that token.');
    if (!isWellFormedToken(anonymousToken, ANON_TOKEN_PREFIX)) throw notFound;
    const cred = await this.d.repos.credentials.findByHash(hashToken(anonymousToken));
    const now = this.d.clock.now().toISOString();
    if (!cred || cred.kind !== 'anonymous_session' || cred.revoked_at || (cred.expires_at && cred.expires_at <= now)) throw notFound;
    if (cred.account_id === p.accountId) return { moved_models: 0 };
    const from = await this.d.repos.accounts.findById(cred.account_id);
    if (!from || from.plan !== 'anonymous') throw notFound;
    // Quota check: the claimed models count against the claiming account.
    const [mine, theirs] = await Promise.all([this.d.repos.models.usage(p.accountId), this.d.repos.models.usage(from.id)]);
    const limits = this.d.settings.plans[p.plan];
    if (mine.models + theirs.models > limits.maxModels) {
      throw new AppError('plan_limit_reached', `Claiming would exceed your plan's model limit (${limits.maxModels}).`, { limit: 'models' });
    }
    const moved = await this.d.repos.models.reassignOwner(from.id, p.accountId);
    await this.d.repos.looks.reassignOwner(from.id, p.accountId);
    await this.d.repos.layouts.reassignOwner(from.id, p.accountId);
    // Anything the session created while we moved its rows (a racing upload) goes with it.
    const leftovers = await this.d.repos.accounts.deleteCascade(from.id);
    for (const id of leftovers?.modelIds ?? []) await this.d.blobs.deletePrefix(modelBlobPrefix(id)).catch(() => {});
    for (const key of leftovers?.uploadKeys ?? []) await this.d.blobs.delete(key).catch(() => {});
    return { moved_models: moved };
  }
}
