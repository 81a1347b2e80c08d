/**
 * `PUT /v1/uploads/:upload_id` — the raw bytes of a direct upload. Not an MCP tool: agents
 * cannot stream bytes through tool calls, so this stays a plain HTTP step of the upload flow.
 */
import type { Express } from 'express';
import type { Core } from '../core/core.js';
import type { Gatekeeper } from './gatekeeper.js';

export function mountUploadRoutes(app: Express, core: Core, gate: Gatekeeper): void {
  app.put('/v1/uploads/:upload_id', async (req, res) => {
    const principal = (await gate.admit(req, res, 'required'))!;
    const declared = req.get('content-length');
    const upload = await core.uploads.receive(principal, String(req.params.upload_id), req, declared ? Number(declared) : null);
    res.status(200).json({
      upload_id: upload.id,
      status: upload.status,
      size_bytes: upload.size_bytes,
      expires_at: upload.expires_at,
      next: `POST /v1/models {"upload_id": "${upload.id}", "name": "…"}`,
    });
  });
}
