/**
 * `ktl record`: a recording in an ftrace instance of its own (core/io/record-session.ts), for
 * scripts, CI and the extension's terminal path (`sudo ktl record …`). Prints what it set up
 * and where the trace went; exit 0 when the trace is written, 2 with one line on stderr where
 * it cannot record (no tracefs, no permission, a missing event — named, a filter the kernel
 * rejects — its own message), 1 for usage errors. Ctrl-C / SIGTERM / SIGHUP stop it by hand:
 * the trace is saved and everything is cleaned up. A command given after `--` is started
 * once tracing is on; the recording ends when it exits (if it runs when the recording ends
 * otherwise, it gets SIGTERM).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError, type Command } from './commands';
import { record } from '../core/io/record-session';
import { parseEventExpr, RecordUsageError } from '../core/record/plan';
import { progressLine, type RecordProgress } from '../core/record/progress';
import { stopReasonText } from '../core/record/trace-file';

function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

function positiveNumber(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+(\.\d+)?$/.test(v) || !(n > 0)) throw new UsageError(`${flag} expects a positive number, got "${String(v)}"`);
  return n;
}

/** The status file the extension's terminal path polls: JSON, replaced atomically. */
function writeStatus(file: string | undefined, status: object): void {
  if (file === undefined) return;
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(status));
    renameSync(`${file}.tmp`, file);
  } catch {
    // Progress is a convenience: a status file that cannot be written never stops a recording.
  }
}

export const recordCommand: Command = {
  name: 'record',
  usage:
    "record --event SYSTEM:EVENT... [--probe 'perf probe spec']... [--filter EVENT:EXPR]... [--stop-marker GLOB] [--stop-event EVENT:EXPR] [--duration S] [--buffer-kb N] [--no-markers] [--status-file F] --out FILE [-- COMMAND ARGS...]",
  options: {
    event: { type: 'string', multiple: true },
    probe: { type: 'string', multiple: true },
    filter: { type: 'string', multiple: true },
    'stop-marker': { type: 'string' },
    'stop-event': { type: 'string' },
    duration: { type: 'string' },
    'buffer-kb': { type: 'string' },
    'no-markers': { type: 'boolean' },
    'status-file': { type: 'string' },
    out: { type: 'string' },
  },
  async run(args) {
    const say = (text: string): void => void process.stdout.write(`${text}\n`);
    const v = args.values;
    if (typeof v.out !== 'string' || v.out === '') throw new UsageError('ktl record needs --out FILE');
    const statusFile = typeof v['status-file'] === 'string' ? resolve(v['status-file']) : undefined;
    const bufferKb = positiveNumber('--buffer-kb', v['buffer-kb']);
    if (bufferKb !== undefined && !Number.isInteger(bufferKb)) throw new UsageError('--buffer-kb expects an integer (KiB per CPU)');
    const outFile = resolve(v.out);
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const s of signals) process.on(s, stop);
    let last: RecordProgress | null = null;
    try {
      const result = await record(
        {
          events: list(v.event),
          probes: list(v.probe),
          filters: list(v.filter).map((f) => parseEventExpr('--filter', f)),
          stopMarker: typeof v['stop-marker'] === 'string' ? v['stop-marker'] : undefined,
          stopEvent: typeof v['stop-event'] === 'string' ? parseEventExpr('--stop-event', v['stop-event']) : undefined,
          durationS: positiveNumber('--duration', v.duration),
          bufferKb,
          markers: v['no-markers'] !== true,
          command: args.positionals,
          commandStdio: 'inherit',
          out: outFile,
          signal: controller.signal,
        },
        {
          onSetup: (lines) => {
            say(`recording (Ctrl-C stops it):\n${lines.map((l) => `  ${l}`).join('\n')}`);
            writeStatus(statusFile, { state: 'running', out: outFile, setup: lines });
          },
          onProgress: (p) => {
            last = p;
            writeStatus(statusFile, { state: 'running', out: outFile, progress: p });
          },
        },
      );
      say(`stopped by ${stopReasonText(result.stoppedBy)}`);
      say(progressLine(result.progress));
      for (const p of result.cleanupProblems) process.stderr.write(`ktl: cleanup: ${p}\n`);
      say(`wrote ${result.out}`);
      writeStatus(statusFile, { state: 'done', out: result.out, stoppedBy: stopReasonText(result.stoppedBy), progress: result.progress });
    } catch (err) {
      writeStatus(statusFile, { state: 'error', out: outFile, message: err instanceof Error ? err.message : String(err), progress: last });
      if (err instanceof RecordUsageError) throw new UsageError(err.message);
      throw err;
    } finally {
      for (const s of signals) process.off(s, stop);
    }
  },
};
