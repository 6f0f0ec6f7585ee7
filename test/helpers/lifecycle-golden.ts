/** Helpers for the lifecycle / interleave golden tests: JSON snapshots and running `ktl`. */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SNAPSHOTS = 'test/golden/snapshots';

/** Compares `value` with test/golden/snapshots/NAME; UPDATE_GOLDEN=1 writes it instead. */
export function checkSnapshot(name: string, value: unknown): void {
  const path = join(SNAPSHOTS, name);
  const text = `${JSON.stringify(value, null, 1)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, text);
    return;
  }
  if (!existsSync(path)) assert.fail(`no snapshot ${path}; run with UPDATE_GOLDEN=1 and review it`);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(path, 'utf8')), `snapshot ${name}`);
}

/** Runs `ktl ARGS` from the sources (no build needed); returns stdout, throws on a non-zero exit. */
export function runKtl(args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** Runs `ktl ARGS` expecting failure; returns the exit status and stderr. */
export function runKtlFailing(args: string[]): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { status: number; stderr: string };
    return { status: e.status, stderr: e.stderr };
  }
  assert.fail(`ktl ${args.join(' ')} succeeded`);
}

/** Runs `ktl ARGS` from the sources; returns its exit status, stdout and stderr whatever the status. */
export function runKtlStatus(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
