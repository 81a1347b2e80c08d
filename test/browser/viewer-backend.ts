/**
 * Where the browser suite gets published models from. Preferably the real app (upload through
 * POST /v1/models, config PATCH, publish PATCH — the whole path a user takes); if the real server
 * cannot start in this checkout, the viewer-only fake server, said loudly.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SceneConfig } from '../../src/core/scene/config-schema.js';
import { PUBLIC_DIR, startFakeViewerServer } from './fake-viewer-server.js';

export interface ModelSpec {
  name: string;
  glbPath: string;
  published: boolean;
  config?: Partial<SceneConfig>;
}

export interface ViewerBackend {
  url: string;
  kind: 'real-app' | 'fake-viewer-server';
  addModel(spec: ModelSpec): Promise<string>;
  stop(): Promise<void>;
}

async function realBackend(): Promise<ViewerBackend> {
  const { startTestServer } = await import('../helpers/test-server.js');
  const server = await startTestServer();
  const auth = { authorization: `Bearer ${server.ownerKey}` };
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  return {
    url: server.url,
    kind: 'real-app',
    async addModel(spec) {
      const form = new FormData();
      form.set('name', spec.name);
      form.set('file', new Blob([await readFile(spec.glbPath)], { type: 'model/gltf-binary' }), path.basename(spec.glbPath));
      const res = await fetch(`${server.url}/v1/models`, { method: 'POST', headers: auth, body: form });
      if (res.status !== 201) throw new Error(`upload → ${res.status} ${await res.text()}`);
      const id = String(((await res.json()) as { id: string }).id);
      if (spec.config && Object.keys(spec.config).length) await call('PATCH', `/v1/models/${id}/config`, spec.config);
      if (spec.published) await call('PATCH', `/v1/showcases/${id}`, { published: true });
      return id;
    },
    stop: () => server.stop(),
  };
}

async function fakeBackend(): Promise<ViewerBackend> {
  const server = await startFakeViewerServer({ publicDir: PUBLIC_DIR });
  let n = 0;
  return {
    url: server.url,
    kind: 'fake-viewer-server',
    async addModel(spec) {
      const id = `m${++n}`;
      server.models.set(id, { id, ...spec });
      return id;
    },
    stop: () => server.stop(),
  };
}

export async function startViewerBackend(): Promise<ViewerBackend> {
  try {
    return await realBackend();
  } catch (err) {
    console.warn(
      `\n!!! viewer browser tests: the real app did not start (${(err as Error).message}); ` +
        'falling back to the viewer-only server (viewer routes + in-memory showcases).\n',
    );
    return fakeBackend();
  }
}
