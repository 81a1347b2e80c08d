/**
 * A real S3 server process (@20minutes/s3rver) on a loopback port with a temp directory, for
 * the S3 blob store tests, the multi-instance test and the bench. Real HTTP, real SigV4, real
 * multipart.
 *
 * It runs in a child process because s3rver encrypts ListObjectsV2 continuation tokens with
 * DES, which Node 20's OpenSSL 3 only offers behind --openssl-legacy-provider; a flag for the
 * S3 server process alone is better than one for the test workers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  directory: string;
  /** The env an instance needs to use this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const SERVER = `
  const S3rver = require('@20minutes/s3rver');
  const [directory, bucket, strict] = process.argv.slice(1);
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory,
    configureBuckets: [{ name: bucket, configs: [] }], allowMismatchedSignatures: strict !== 'strict' });
  server.run().then((a) => process.stdout.write('port=' + a.port + '\\n'), (e) => { console.error(e); process.exit(1); });
  process.on('SIGTERM', () => server.close().finally(() => process.exit(0)));
  process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;

/**
 * `strictSignatures: false` (the default) works around an s3rver bug, not a vitrine one: for
 * bucket-level requests (DeleteObjects is `POST /<bucket>/?delete`) s3rver canonicalises the
 * path without the trailing slash the SDK signed, and rejects a valid signature. AWS, R2 and
 * Supabase accept them. The presigned-URL tests run against a strict server.
 */
export async function startTestS3(bucket = 'vitrine-test', opts: { strictSignatures?: boolean } = {}): Promise<TestS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'vitrine-s3rver-'));
  // stdin is a pipe: if the test process dies, the server sees EOF and exits too.
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', '-e', SERVER, directory, bucket, opts.strictSignatures ? 'strict' : 'lax'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => {
      const m = /^port=(\d+)$/.exec(l);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
    child.once('error', reject);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const creds = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
  return {
    endpoint,
    bucket,
    ...creds,
    directory,
    env: {
      VITRINE_S3_BUCKET: bucket,
      VITRINE_S3_ENDPOINT: endpoint,
      VITRINE_S3_REGION: creds.region,
      VITRINE_S3_ACCESS_KEY_ID: creds.accessKeyId,
      VITRINE_S3_SECRET_ACCESS_KEY: creds.secretAccessKey,
      VITRINE_S3_FORCE_PATH_STYLE: 'true',
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
