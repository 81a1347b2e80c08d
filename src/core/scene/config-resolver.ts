/** Resolves a model's merged config: defaults ← look ← layout ← model overrides. */
import type { CoreDeps } from '../deps.js';
import type { Model } from '../types.js';
import { mergeConfig } from './cascade.js';
import type { ConfigOverrides, SceneConfig } from './config-schema.js';
import { findBuiltinLayout } from './layouts-builtin.js';

export class ConfigResolver {
  constructor(private readonly d: CoreDeps) {}

  async layers(model: Model): Promise<{ look: ConfigOverrides | null; layout: ConfigOverrides | null }> {
    const [look, layout] = await Promise.all([
      model.look_id ? this.d.repos.looks.findById(model.look_id) : null,
      model.layout_id ? (findBuiltinLayout(model.layout_id) ?? this.d.repos.layouts.findById(model.layout_id)) : null,
    ]);
    return { look: look?.config ?? null, layout: layout?.config ?? null };
  }

  async merged(model: Model, extra?: ConfigOverrides | null): Promise<SceneConfig> {
    const { look, layout } = await this.layers(model);
    return mergeConfig(look, layout, model.overrides, extra);
  }
}
