// What the benchmarks (bench/*.bench.mjs) share: a timed command, the median of runs, and sizes
// written as 300M or 2.2G.
import { spawnSync } from 'node:child_process';

/** Runs `cmd args` with `env` added to this process's; its wall time (s) and output. Throws when it fails. */
export function run(cmd, args, env = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26, encoding: 'utf8' });
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { sec, stdout: r.stdout, stderr: r.stderr };
}

/** The middle value of `xs` (the upper one of two for an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const UNIT = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** Bytes of a size such as `300M` or `2.2G`; `what` names the setting in the error. */
export function bytesOf(size, what) {
  const m = /^([\d.]+)([KMG])$/.exec(size);
  if (!m) throw new Error(`${what}: ${size} is not a size such as 300M or 2.2G`);
  return Math.round(Number(m[1]) * UNIT[m[2]]);
}
