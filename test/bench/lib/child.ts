/** Starts test/bench/lib/serve.ts in a child process and reads its RSS from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface BenchServer {
  url: string;
  ownerKey: string;
  dataDir: string;
  pid: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

const SERVE = path.join(import.meta.dirname, 'serve.ts');

export async function startBenchServer(
  env: Record<string, string>,
  opts: { args?: string[]; stderr?: 'inherit' | 'ignore' } = {},
): Promise<BenchServer> {
  const proc = spawn(process.execPath, ['--import', 'tsx', SERVE, ...(opts.args ?? [])], {
    env: { ...process.env, BENCH_SERVER_ENV: JSON.stringify(env) },
    stdio: ['pipe', 'pipe', opts.stderr ?? 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`bench server exited early (${code})`)));
  });
  const info = JSON.parse(line) as Omit<BenchServer, 'proc' | 'stop'>;
  return {
    ...info,
    proc,
    async stop() {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.stdin!.end();
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or NaN where /proc is missing. */
export function procStatusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Resets the peak-RSS mark (VmHWM) of a process we own; false where the kernel refuses. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat. */
export function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

const CLOCK_TICKS = 100; // USER_HZ on Linux
