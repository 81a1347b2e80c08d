/**
 * The bundled EXRs are DWAB-compressed (lossy). Decoded, a few pixels are slightly negative and in
 * some files the sun survives in one channel only (a 15 000-strong pure blue pixel). Negative light
 * makes dark speckles in the prefiltered environment, and the one-channel sun tints every glossy
 * reflection, so pixels are repaired before the environment is built. scripts/build-hdris.mjs uses
 * the same rule for the previews.
 */
export function repairHdrPixels(data: Float32Array, channels: number): void {
  for (let i = 0; i < data.length; i += channels) {
    let r = data[i];
    let g = data[i + 1];
    let b = data[i + 2];
    // NaN fails every comparison: `!(x > 0)` catches it together with negatives.
    if (!(r > 0)) r = 0;
    if (!(g > 0)) g = 0;
    if (!(b > 0)) b = 0;
    // Half floats top out at 65504; clamp infinities so the GPU never sees inf.
    const max = Math.min(65000, Math.max(r, g, b));
    if (max > 16 && Math.min(r, g, b) < max * 0.05) {
      r = max;
      g = max * 0.95;
      b = max * 0.85;
    }
    data[i] = Math.min(r, 65000);
    data[i + 1] = Math.min(g, 65000);
    data[i + 2] = Math.min(b, 65000);
  }
}
