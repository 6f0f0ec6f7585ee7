/**
 * tracefs file access for recordings: finding the mount, reading and writing its control
 * files, the kernel's error_log behind a rejected write, instance directories. Every path is
 * relative to the root and built by core/record/plan.ts from validated names.
 */
import { constants } from 'node:fs';
import { access, mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RecordUnavailableError } from '../record/plan';
import { describeKernelError, errorFor, parseErrorLog } from '../record/error-log';

export const TRACEFS_CANDIDATES = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];

function code(err: unknown): string {
  return err instanceof Error && 'code' in err ? String(err.code) : '';
}

export class Tracefs {
  private constructor(readonly root: string) {}

  /**
   * The first mounted tracefs of `candidates` that this process may write. Refusals name what
   * is missing: no tracefs mounted, or no permission (not root).
   */
  static async open(candidates: readonly string[] = TRACEFS_CANDIDATES): Promise<Tracefs> {
    let denied: string | null = null;
    for (const root of candidates) {
      try {
        await access(join(root, 'available_events'), constants.R_OK);
        await access(join(root, 'instances'), constants.W_OK);
        return new Tracefs(root);
      } catch (err) {
        if (code(err) === 'EACCES' || code(err) === 'EPERM') denied ??= root;
      }
    }
    if (denied !== null) throw new RecordUnavailableError(`no permission to record: ${denied} needs root (run with sudo)`);
    throw new RecordUnavailableError(`no tracefs mounted at ${candidates.join(' or ')} (as root: mount -t tracefs nodev /sys/kernel/tracing)`);
  }

  /** A Tracefs at `root` without checks (tests that point at a fake tree). */
  static at(root: string): Tracefs {
    return new Tracefs(root);
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  read(rel: string): Promise<string> {
    return readFile(this.path(rel), 'utf8');
  }

  /**
   * Writes `value` as `echo value > file` does (one write, newline-terminated). EINVAL from a
   * filter or trigger becomes the kernel's own message from error_log (the instance's, then
   * the global one), with the position it points at.
   */
  async write(rel: string, value: string, errorLogDirs: readonly string[] = []): Promise<void> {
    try {
      await writeFile(this.path(rel), `${value}\n`, { flag: 'w' });
    } catch (err) {
      if (code(err) === 'EINVAL' && errorLogDirs.length > 0) {
        for (const dir of errorLogDirs) {
          const log = await this.read(join(dir, 'error_log')).catch(() => '');
          const e = errorFor(parseErrorLog(log), value);
          if (e) throw new KernelRejectedError(`the kernel rejected "${value}" (${rel}): ${describeKernelError(e)}`);
        }
        throw new KernelRejectedError(`the kernel rejected "${value}" (${rel}): invalid argument (nothing in error_log)`);
      }
      throw err;
    }
  }

  async mkdir(rel: string): Promise<void> {
    await mkdir(this.path(rel));
  }

  /** rmdir, retried while the kernel still holds the instance (EBUSY: a reader is finishing). */
  async rmdir(rel: string): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        await rmdir(this.path(rel));
        return;
      } catch (err) {
        if (code(err) === 'ENOENT') return;
        if (code(err) !== 'EBUSY' || i >= 20) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async instances(): Promise<string[]> {
    return (await readdir(this.path('instances'))).sort();
  }

  async cpus(dir: string): Promise<number[]> {
    const names = await readdir(this.path(join(dir, 'per_cpu')));
    return names
      .map((n) => /^cpu(\d+)$/.exec(n))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
  }
}

/** A filter or trigger the kernel refused; the message is its own, from error_log. */
export class KernelRejectedError extends Error {}
