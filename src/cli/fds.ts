/**
 * `ktl fds`: the per file descriptor view of a strace trace (core/analysis/strace-fds.ts):
 * one object (or text block) per fd life, with call counts, readiness queries and answers,
 * and the write stall that seed 003 hunts (select keeps asking, the fd never becomes
 * writable, nothing is sent).
 */
import { straceFdViews, type FdView } from '../core/analysis/strace-fds';
import { loadTrace } from './load';
import { UsageError, nonNegative, oneFile, type Command } from './commands';
import type { Output } from './output';
import type { Trace } from '../core/trace/trace';

export const fdsCommand: Command = {
  name: 'fds',
  usage: 'fds FILE [--json] [--fd N]... [--pid N]... [--uses]   (strace traces)',
  options: { json: { type: 'boolean' }, fd: { type: 'string', multiple: true }, pid: { type: 'string', multiple: true }, uses: { type: 'boolean' } },
  async run(args, out) {
    const v = args.values;
    const file = oneFile(args, 'fds');
    const fds = ((v.fd as string[] | undefined) ?? []).map((x) => nonNegative('--fd', x));
    const processes = ((v.pid as string[] | undefined) ?? []).map((x) => nonNegative('--pid', x));
    const trace = await loadTrace(file, args);
    try {
      if (trace.meta.format !== 'strace') throw new UsageError(`ktl fds reads strace traces; ${file} is ${trace.meta.format}`);
      const views = straceFdViews(trace, { fds, processes });
      for (const view of views) {
        if (v.json === true) out.line(JSON.stringify(viewJson(view, v.uses === true)));
        else printView(view, v.uses === true, out, timeOf(trace));
      }
    } finally {
      trace.close();
    }
  },
};

function viewJson(view: FdView, withUses: boolean): Record<string, unknown> {
  const { uses, ...rest } = view;
  return withUses ? { ...rest, useCount: uses.length, uses } : { ...rest, useCount: uses.length };
}

/** Where a call was: its time, or its line when the trace has no timestamps (strace without -t). */
interface Clock {
  readonly untimed: boolean;
  at(tsNs: number, index: number): string;
}

const seconds = (ns: number): string => `${(ns / 1e9).toFixed(6)}s`;

function timeOf(trace: Trace): Clock {
  const untimed = trace.meta.timeSource === 'none';
  return { untimed, at: (ns, index) => (untimed ? `line ${trace.line(index)}` : seconds(ns)) };
}

function printView(v: FdView, withUses: boolean, out: Output, clock: Clock): void {
  const at = clock.at;
  const first = v.uses[0];
  const last = v.uses.at(-1);
  const span = first && last ? `  ${at(first.tsNs, first.index)} .. ${at(last.tsNs, last.index)}` : '';
  out.line(`process ${v.process} fd ${v.fd}${v.path ? ` <${v.path}>` : ''}${span}${v.closedAt >= 0 ? ' (closed)' : ''}`);
  out.line(`  calls: ${Object.entries(v.calls).map(([k, n]) => `${k}×${n}`).join(' ')}`);
  if (v.waitsForRead + v.waitsForWrite > 0) {
    out.line(`  readiness: asked readable ${v.waitsForRead}× (ready ${v.readyForRead}×), asked writable ${v.waitsForWrite}× (ready ${v.readyForWrite}×)`);
  }
  if (v.stall) {
    // Without timestamps the last writable answer and write have no time to show: only whether they happened.
    const lastWritable = v.lastWritableTsNs === null ? 'never writable' : clock.untimed ? 'writable before' : `last writable at ${seconds(v.lastWritableTsNs)}`;
    const writable = v.stall.everWritable ? lastWritable : 'never writable';
    const wrote = v.lastWriteTsNs === null ? 'never written' : clock.untimed ? 'written before' : `last write at ${seconds(v.lastWriteTsNs)}`;
    out.line(`  WRITE STALL: asked writable ${v.stall.writePolls}× from ${at(v.stall.sinceTsNs, v.stall.sinceIndex)} on, never ready, nothing written (${writable}, ${wrote})`);
  }
  if (withUses) {
    for (const u of v.uses) {
      const rw = u.asked ? ` asked=${u.asked.join('|')} ready=${(u.ready ?? []).join('|') || '-'}` : '';
      out.line(`    ${at(u.tsNs, u.index)} [${u.pid}] ${u.call} ${u.kind}${rw} = ${u.ret ?? '?'}${u.errno ? ` ${u.errno}` : ''}`);
    }
  }
}
