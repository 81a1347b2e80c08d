/** Layouts: the embed frame (aspect ratio, controls, UI). Built-ins plus the owner's own. */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import { applyPatch } from '../scene/cascade.js';
import type { LayoutConfig } from '../scene/config-schema.js';
import { BUILTIN_LAYOUTS, findBuiltinLayout } from '../scene/layouts-builtin.js';
import type { Layout, Principal } from '../types.js';

export class LayoutService {
  constructor(private readonly d: CoreDeps) {}

  async list(p: Principal): Promise<Layout[]> {
    return [...BUILTIN_LAYOUTS, ...(await this.d.repos.layouts.list(p.accountId))];
  }

  async get(p: Principal, id: string): Promise<Layout> {
    const layout = findBuiltinLayout(id) ?? (await this.d.repos.layouts.findOwned(p.accountId, id));
    if (!layout) throw notFound(id);
    return layout;
  }

  async create(p: Principal, input: { name: string; config: LayoutConfig }): Promise<Layout> {
    const now = this.d.clock.now().toISOString();
    const layout: Layout = {
      id: this.d.ids.id('lay'),
      owner_id: p.accountId,
      name: input.name.trim().slice(0, 200),
      config: applyPatch({}, input.config),
      builtin: false,
      created_at: now,
      updated_at: now,
    };
    await this.d.repos.layouts.insert(layout);
    return layout;
  }

  async update(p: Principal, id: string, input: { name?: string; config?: LayoutConfig }): Promise<Layout> {
    if (findBuiltinLayout(id)) throw builtinReadOnly(id);
    const layout = await this.d.repos.layouts.findOwned(p.accountId, id);
    if (!layout) throw notFound(id);
    const fields: Partial<Pick<Layout, 'name' | 'config'>> = {};
    if (input.name !== undefined) fields.name = input.name.trim().slice(0, 200);
    if (input.config !== undefined) fields.config = applyPatch(layout.config, input.config);
    const updated = await this.d.repos.layouts.update(p.accountId, id, fields, this.d.clock.now().toISOString());
    if (!updated) throw notFound(id);
    return updated;
  }

  async delete(p: Principal, id: string): Promise<void> {
    if (findBuiltinLayout(id)) throw builtinReadOnly(id);
    if (!(await this.d.repos.layouts.delete(p.accountId, id))) throw notFound(id);
  }
}

const notFound = (id: string) => new AppError('layout_not_found', `No layout found with ID '${id}'.`);
const builtinReadOnly = (id: string) =>
  new AppError('forbidden', `'${id}' is a built-in layout and cannot be changed; create your own with POST /v1/layouts.`);
