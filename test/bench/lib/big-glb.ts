/**
 * A large but valid GLB for upload benchmarks: one textured triangle whose base-color texture is
 * an embedded PNG padded to the requested size with a big ancillary chunk (as real exports carry
 * large textures). Valid GLB 2.0 for gltf-validator: correct header, JSON and BIN chunks, PNG
 * signature and IHDR; the bulk costs no decoding.
 */
import { createHash } from 'node:crypto';
import { packGlb } from '../../fixtures/glb-fixtures.js';

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = crcTable[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A 1×1 RGBA PNG with an ancillary `teXt`-like private chunk of `padBytes` pseudo-random bytes. */
function paddedPng(padBytes: number): Buffer {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  // zlib stream of one filtered scanline: filter 0 + 4 bytes.
  const idat = Buffer.from([0x78, 0x9c, 0x63, 0x60, 0x60, 0x60, 0xf8, 0x0f, 0x00, 0x01, 0x04, 0x01, 0x00]);
  // Pseudo-random filler (hash chain), so compression or dedup cannot cheat the numbers.
  const pad = Buffer.alloc(padBytes);
  let block = createHash('sha256').update('vitrine').digest();
  for (let off = 0; off < padBytes; off += block.length) {
    block.copy(pad, off);
    if ((off & 0xffff) === 0) block = createHash('sha256').update(block).digest();
  }
  return Buffer.concat([sig, pngChunk('IHDR', ihdr), pngChunk('vtPd', pad), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

export function bigValidGlb(totalBytes: number): Buffer {
  const geometry = Buffer.from(new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1]).buffer); // 3×VEC3 + 3×VEC2
  const png = paddedPng(Math.max(0, totalBytes - 2048));
  const bin = Buffer.concat([geometry, png]);
  return packGlb(
    {
      asset: { version: '2.0', generator: 'vitrine upload bench' },
      buffers: [{ byteLength: bin.length }],
      bufferViews: [
        { buffer: 0, byteOffset: 0, byteLength: 36 },
        { buffer: 0, byteOffset: 36, byteLength: 24 },
        { buffer: 0, byteOffset: 60, byteLength: png.length },
      ],
      accessors: [
        { bufferView: 0, componentType: 5126, count: 3, type: 'VEC3', min: [0, 0, 0], max: [1, 1, 0] },
        { bufferView: 1, componentType: 5126, count: 3, type: 'VEC2', min: [0, 0], max: [1, 1] },
      ],
      images: [{ bufferView: 2, mimeType: 'image/png' }],
      samplers: [{}],
      textures: [{ source: 0, sampler: 0 }],
      materials: [{ pbrMetallicRoughness: { baseColorTexture: { index: 0 } } }],
      meshes: [{ primitives: [{ attributes: { POSITION: 0, TEXCOORD_0: 1 }, material: 0 }] }],
      nodes: [{ mesh: 0 }],
      scenes: [{ nodes: [0] }],
      scene: 0,
    },
    bin,
  );
}
