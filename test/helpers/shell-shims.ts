/**
 * Runs a generated shell script with nothing real on PATH: every command name a probe script
 * uses, and the usual attacker targets, is a shim that appends its argv to a log. `echo` is a
 * shell builtin, so it is shadowed by a function that logs the same way. The script runs in an
 * empty folder, so an injected redirection would leave a file there.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const COMMANDS = ['perf', 'addr2line', 'llvm-symbolizer', 'rg', 'cat', 'tee', 'sleep', 'bpftrace', 'trace-cmd', 'touch', 'id', 'rm', 'sh', 'bash', 'env', 'sudo', 'curl', 'wget', 'ls', 'mkdir', 'chmod', 'printf', 'echo', 'true'];

// name, argc, args, each NUL-terminated: arguments may hold line breaks.
const LOG_ARGV = `printf '%s\\0' "\${0##*/}" "$#" "$@" >> "$KTL_SHIM_LOG"`;

export interface ShimRun {
  readonly status: number | null;
  readonly stderr: string;
  /** One argv per command run, the command's name first. */
  readonly calls: string[][];
  /** What the script left in its (empty) working folder. */
  readonly leftInCwd: string[];
}

export function makeShims(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const c of COMMANDS) {
    writeFileSync(join(bin, c), `#!/bin/sh\n${LOG_ARGV}\n`);
    chmodSync(join(bin, c), 0o755);
  }
  return bin;
}

/**
 * One shim in `bin` that logs its argv (as above) and then runs `body` (sh), e.g. to print
 * what the real command would (`perf probe -a` names the event it added).
 */
export function writeShim(bin: string, name: string, body: string): string {
  mkdirSync(bin, { recursive: true });
  const path = join(bin, name);
  writeFileSync(path, `#!/bin/sh\n${LOG_ARGV}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** `shell` (/bin/sh or /bin/bash) sources `script` with PATH = the shims only. */
export function runWithShims(shell: string, script: string, dir: string, name: string): ShimRun {
  const bin = makeShims(dir);
  const cwd = join(dir, `cwd-${name}`);
  mkdirSync(cwd);
  const log = join(dir, `${name}.log`);
  writeFileSync(log, '');
  const echo = `echo() { printf '%s\\0' echo "$#" "$@" >> "$KTL_SHIM_LOG"; }`;
  const r = spawnSync(shell, ['-c', `${echo}\n. "$1"`, 'sh', script], { cwd, env: { PATH: bin, KTL_SHIM_LOG: log }, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stderr: r.stderr, calls: parseLog(readFileSync(log, 'utf8')), leftInCwd: readdirSync(cwd) };
}

export function parseLog(text: string): string[][] {
  const f = text.split('\0');
  const calls: string[][] = [];
  let i = 0;
  while (i < f.length - 1) {
    const name = f[i] as string;
    const argc = Number(f[i + 1]);
    calls.push([name, ...f.slice(i + 2, i + 2 + argc)]);
    i += 2 + argc;
  }
  return calls;
}

/** `sh -n`: the shell parses the whole script. */
export function shellParses(shell: string, script: string): { ok: boolean; stderr: string } {
  const r = spawnSync(shell, ['-n', script], { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}
