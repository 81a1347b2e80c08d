/** Looks: named, reusable look configs an owner applies to many showcases. */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import { applyPatch } from '../scene/cascade.js';
import type { LookConfig } from '../scene/config-schema.js';
import type { Look, Model, Principal } from '../types.js';
import { assertKnownHdri } from '../reference/hdri-check.js';

/** Told about models whose merged config a look change altered (thumbnails go stale). */
export type LookChangedModels = (models: Model[]) => void;

export class LookService {
  constructor(
    private readonly d: CoreDeps,
    private readonly modelsChanged: LookChangedModels = () => {},
  ) {}

  list(p: Principal): Promise<Look[]> {
    return this.d.repos.looks.list(p.accountId);
  }

  async require(p: Principal, id: string): Promise<Look> {
    const look = await this.d.repos.looks.findOwned(p.accountId, id);
    if (!look) throw new AppError('look_not_found', `No look found with ID '${id}'.`);
    return look;
  }

  async create(p: Principal, input: { name: string; config: LookConfig }): Promise<Look> {
    await assertKnownHdri(this.d, input.config);
    const now = this.d.clock.now().toISOString();
    const look: Look = {
      id: this.d.ids.id('look'),
      owner_id: p.accountId,
      name: input.name.trim().slice(0, 200),
      config: applyPatch({}, input.config),
      created_at: now,
      updated_at: now,
    };
    await this.d.repos.looks.insert(look);
    return look;
  }

  /** `config` is merged like a config patch: fields set, `null` removes, absent keeps. */
  async update(p: Principal, id: string, input: { name?: string; config?: LookConfig }): Promise<Look> {
    const look = await this.require(p, id);
    if (input.config) await assertKnownHdri(this.d, input.config);
    const fields: Partial<Pick<Look, 'name' | 'config'>> = {};
    if (input.name !== undefined) fields.name = input.name.trim().slice(0, 200);
    if (input.config !== undefined) fields.config = applyPatch(look.config, input.config);
    const updated = await this.d.repos.looks.update(p.accountId, id, fields, this.d.clock.now().toISOString());
    if (!updated) throw new AppError('look_not_found', `No look found with ID '${id}'.`);
    if (fields.config) this.modelsChanged(await this.d.repos.models.listByLook(p.accountId, id));
    return updated;
  }

  async delete(p: Principal, id: string): Promise<void> {
    const users = await this.d.repos.models.listByLook(p.accountId, id);
    if (!(await this.d.repos.looks.delete(p.accountId, id))) {
      throw new AppError('look_not_found', `No look found with ID '${id}'.`);
    }
    // Those showcases fall back to the defaults: what they show changed.
    this.modelsChanged(users.map((m) => ({ ...m, look_id: null })));
  }
}
