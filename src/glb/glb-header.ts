/**
 * Cheap structural checks on a GLB before the (slow, memory-hungry) validator sees it: wrong file
 * types, truncation and oversized JSON are refused after reading a few bytes, with a sentence a
 * person can act on. Only the 12-byte header, the chunk headers and the JSON chunk are read.
 */
import { open } from 'node:fs/promises';
import { AppError } from '../core/errors.js';

const MAGIC_GLTF = 0x46546c67; // "glTF" little-endian
const CHUNK_JSON = 0x4e4f534a; // "JSON"
const CHUNK_BIN = 0x004e4942; // "BIN\0"

export interface GlbLayout {
  /** The parsed glTF JSON (an object; not yet validated as glTF). */
  json: Record<string, unknown>;
  jsonLength: number;
  binLength: number | null;
}

export interface GlbIssue {
  code: string;
  message: string;
  pointer?: string;
}

export const invalidGlb = (message: string, errors: GlbIssue[] = [{ code: 'INVALID_GLB', message }]) =>
  new AppError('invalid_glb', message, { errors });

const fail = (code: string, message: string) => invalidGlb(message, [{ code, message }]);

export async function readGlbLayout(path: string, size: number, maxJsonBytes: number): Promise<GlbLayout> {
  if (size === 0) throw fail('GLB_EMPTY', 'The file is empty.');
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, 20));
    await fh.read(head, 0, head.length, 0);
    if (head.length < 12 || head.readUInt32LE(0) !== MAGIC_GLTF) throw fail('GLB_BAD_MAGIC', describeNonGlb(head, size));
    const version = head.readUInt32LE(4);
    if (version !== 2) throw fail('GLB_BAD_VERSION', `Unsupported GLB container version ${version}; only glTF 2.0 binary (version 2) is accepted.`);
    const declared = head.readUInt32LE(8);
    if (declared !== size) {
      throw fail('GLB_LENGTH_MISMATCH', declared > size
        ? `The GLB header declares ${declared} bytes but the file has only ${size}: it is truncated (an incomplete upload or download?).`
        : `The GLB header declares ${declared} bytes but the file has ${size}: there is extra data after the GLB.`);
    }
    if (size < 20) throw fail('GLB_NO_JSON_CHUNK', 'The GLB has no JSON chunk after its header.');

    const jsonLength = head.readUInt32LE(12);
    if (head.readUInt32LE(16) !== CHUNK_JSON) throw fail('GLB_FIRST_CHUNK_NOT_JSON', 'The first GLB chunk must be the JSON chunk.');
    if (jsonLength === 0 || 20 + jsonLength > size) {
      throw fail('GLB_BAD_JSON_CHUNK_LENGTH', `The JSON chunk claims ${jsonLength} bytes, which does not fit in the ${size}-byte file.`);
    }
    if (jsonLength > maxJsonBytes) {
      throw fail('GLB_JSON_TOO_LARGE', `The JSON chunk is ${jsonLength} bytes; the limit is ${maxJsonBytes}. Move data into the binary chunk (e.g. with gltf-transform).`);
    }
    const binLength = await readBinChunkLength(fh, 20 + jsonLength, size);

    const jsonBytes = Buffer.alloc(jsonLength);
    await fh.read(jsonBytes, 0, jsonLength, 20);
    return { json: parseJson(jsonBytes), jsonLength, binLength };
  } finally {
    await fh.close();
  }
}

/** The optional BIN chunk right after JSON; other chunk types after it are ignored per spec. */
async function readBinChunkLength(fh: import('node:fs/promises').FileHandle, offset: number, size: number): Promise<number | null> {
  if (offset === size) return null;
  if (offset + 8 > size) throw fail('GLB_BAD_CHUNK', `The GLB has ${size - offset} stray bytes after its JSON chunk.`);
  const h = Buffer.alloc(8);
  await fh.read(h, 0, 8, offset);
  const length = h.readUInt32LE(0);
  if (offset + 8 + length > size) throw fail('GLB_BAD_CHUNK', `A chunk after the JSON claims ${length} bytes, past the end of the file.`);
  return h.readUInt32LE(4) === CHUNK_BIN ? length : null;
}

function parseJson(bytes: Buffer): Record<string, unknown> {
  let value: unknown;
  try {
    // Strict UTF-8 (fatal) so mis-encoded JSON is refused rather than silently mangled.
    // Trailing spaces are the spec's padding, which JSON.parse ignores.
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (err) {
    throw fail('GLB_BAD_JSON', `The GLB's JSON chunk is not valid UTF-8 JSON (${(err as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('GLB_BAD_JSON', "The GLB's JSON chunk must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

/** Says what the file seems to be instead, because "bad magic" helps nobody. */
function describeNonGlb(head: Buffer, size: number): string {
  const text = head.toString('latin1').trimStart().toLowerCase();
  if (size < 12) return `The file is only ${size} bytes; a GLB starts with a 12-byte header.`;
  if (text.startsWith('<')) return 'This is an HTML/XML document, not a GLB (did the download return an error page?).';
  if (text.startsWith('{')) return 'This is a JSON file (.gltf), not a binary GLB; pack it and its resources into one .glb first.';
  if (head[0] === 0x50 && head[1] === 0x4b) return 'This is a ZIP archive, not a GLB; extract the .glb first.';
  return "This is not a GLB: it does not start with the 'glTF' magic bytes.";
}
