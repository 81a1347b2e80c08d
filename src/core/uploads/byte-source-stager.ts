/** Turns any ByteSource into a staged local file, enforcing the caller's size cap on the way in. */
import { AppError } from '../errors.js';
import type { CoreDeps } from '../deps.js';
import type { ByteSource, StagedFile } from '../ports/staging.js';
import type { Principal } from '../types.js';

export class ByteSourceStager {
  constructor(private readonly d: CoreDeps) {}

  async stage(p: Principal, source: ByteSource, maxBytes: number): Promise<StagedFile> {
    switch (source.kind) {
      case 'staged':
        if (source.file.size > maxBytes) {
          await source.file.release();
          throw tooLarge(maxBytes);
        }
        return source.file;
      case 'stream':
        if (source.declaredSize != null && source.declaredSize > maxBytes) {
          source.stream.resume();
          throw tooLarge(maxBytes);
        }
        return this.d.staging.fromStream(source.stream, maxBytes);
      case 'url':
        return this.d.staging.fromUrl(source.url, maxBytes);
      case 'base64': {
        const cap = Math.min(maxBytes, this.d.settings.maxInlineUploadBytes);
        if (Math.floor((source.data.length * 3) / 4) > cap + 3) {
          throw new AppError('file_too_large', `content_base64 is capped at ${cap} bytes; use url or the upload flow (vitrine_create_upload) for bigger files.`, { max_bytes: cap });
        }
        return this.d.staging.fromBase64(source.data, cap);
      }
      case 'local_path':
        return this.d.staging.fromLocalPath(source.path, maxBytes);
      case 'upload':
        return this.fromPendingUpload(p, source.uploadId, maxBytes);
    }
  }

  /** Releases whatever a source holds when we refuse it before staging. */
  async discard(source: ByteSource): Promise<void> {
    if (source.kind === 'staged') await source.file.release();
    if (source.kind === 'stream') source.stream.resume();
  }

  private async fromPendingUpload(p: Principal, uploadId: string, maxBytes: number): Promise<StagedFile> {
    const upload = await this.d.repos.uploads.findOwned(p.accountId, uploadId);
    if (!upload) throw new AppError('upload_not_found', `No upload found with ID '${uploadId}'.`);
    if (upload.status !== 'received') {
      throw new AppError('conflict', `Upload '${uploadId}' has no bytes yet: PUT the file to its upload_url first.`);
    }
    // Exactly one model may be created from an upload: take() removes the row atomically.
    const taken = await this.d.repos.uploads.take(p.accountId, uploadId);
    if (!taken) throw new AppError('upload_not_found', `No upload found with ID '${uploadId}'.`);
    try {
      const blob = await this.d.blobs.open(taken.blob_key);
      if (!blob) throw new AppError('upload_not_found', `The bytes of upload '${uploadId}' are gone; start a new upload.`);
      return await this.d.staging.fromStream(blob.stream, maxBytes);
    } finally {
      await this.d.blobs.delete(taken.blob_key).catch(() => {});
    }
  }
}

const tooLarge = (max: number) =>
  new AppError('file_too_large', `The file is larger than your plan allows (${max} bytes).`, { max_bytes: max });
