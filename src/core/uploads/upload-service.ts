/**
 * The direct-upload flow for big files and agents: create an upload, PUT the raw bytes to its
 * URL, then create the model from `upload_id`. The bytes wait in the blob store, so any instance
 * behind a load balancer can finish the flow.
 */
import type { Readable } from 'node:stream';
import { AppError } from '../errors.js';
import { addMs } from '../clock-math.js';
import type { CoreDeps } from '../deps.js';
import type { PendingUpload, Principal } from '../types.js';

export class UploadService {
  constructor(private readonly d: CoreDeps) {}

  async create(p: Principal): Promise<{ upload: PendingUpload; upload_url: string; max_bytes: number }> {
    const now = this.d.clock.now();
    const id = this.d.ids.id('upl');
    const upload: PendingUpload = {
      id,
      owner_id: p.accountId,
      status: 'pending',
      blob_key: `uploads/${id}.glb`,
      size_bytes: null,
      created_at: now.toISOString(),
      expires_at: addMs(now, this.d.settings.uploadTtlMs),
    };
    await this.d.repos.uploads.insert(upload);
    return { upload, upload_url: `${this.d.settings.publicBaseUrl}/v1/uploads/${id}`, max_bytes: this.d.settings.plans[p.plan].maxFileBytes };
  }

  /** Receives the bytes of a pending upload (streamed, capped, replaced if sent again). */
  async receive(p: Principal, id: string, body: Readable, declaredSize: number | null): Promise<PendingUpload> {
    const upload = await this.d.repos.uploads.findOwned(p.accountId, id);
    if (!upload || upload.expires_at <= this.d.clock.now().toISOString()) {
      body.resume();
      throw new AppError('upload_not_found', `No upload found with ID '${id}'.`);
    }
    const max = this.d.settings.plans[p.plan].maxFileBytes;
    if (declaredSize != null && declaredSize > max) {
      body.resume();
      throw new AppError('file_too_large', `The file is larger than your plan allows (${max} bytes).`, { max_bytes: max });
    }
    const staged = await this.d.staging.fromStream(body, max);
    try {
      await this.d.blobs.putFile(upload.blob_key, staged.path, 'application/octet-stream');
      if (!(await this.d.repos.uploads.markReceived(p.accountId, id, staged.size))) {
        // The upload was consumed (a model was created from it) or swept while these bytes
        // arrived: nothing points at them any more.
        await this.d.blobs.delete(upload.blob_key).catch(() => {});
        throw new AppError('upload_not_found', `Upload '${id}' was already used or has expired; start a new upload.`);
      }
      return { ...upload, status: 'received', size_bytes: staged.size };
    } finally {
      await staged.release();
    }
  }

  /** Drops uploads nobody finished; their bytes go with them. */
  async sweepExpired(): Promise<number> {
    const expired = await this.d.repos.uploads.listExpired(this.d.clock.now().toISOString(), 100);
    for (const u of expired) {
      await this.d.repos.uploads.delete(u.id);
      await this.d.blobs.delete(u.blob_key).catch(() => {});
    }
    return expired.length;
  }
}
