/**
 * One command for every benchmark: runs each `test/bench/*-bench.ts` in its own process
 * (`node --import tsx <file>`), one after another so they don't compete for the CPU, and prints
 * a summary. Benches print their own ratios against baselines measured in the same run.
 *
 *   npm run bench                 (builds first; benches that need dist/ use it)
 *   node --import tsx test/bench/run.ts [name-filter …]   e.g. `rest upload`
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const filters = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('-bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((q) => f.includes(q)))
  .sort();

if (benches.length === 0) {
  console.error(`no benches matched in ${dir}${filters.length ? ` (filters: ${filters.join(' ')})` : ''}`);
  process.exit(1);
}

const results: { name: string; code: number | null; seconds: number }[] = [];
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit' });
    child.once('exit', (c, signal) => resolve(signal ? 128 : c));
    child.once('error', () => resolve(127));
  });
  results.push({ name: file, code, seconds: (performance.now() - started) / 1000 });
}

console.log('\n=== summary');
for (const r of results) console.log(`  ${r.code === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(28)} ${r.seconds.toFixed(1)} s${r.code === 0 ? '' : ` (exit ${r.code})`}`);
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
