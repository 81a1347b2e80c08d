// Builds everything `npm start` and the tests need: the server (tsc → dist/), the viewer
// bundle and decoders (dist/public), and the HDRI presets written out from @pmndrs/assets.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
for (const step of ['scripts/build-viewer.mjs', 'scripts/build-hdris.mjs']) {
  if (existsSync(step)) run(process.execPath, [step]);
}
