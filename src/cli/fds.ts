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
        else printView(view, v.uses === true, out);
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

const s = (ns: number): string => `${(ns / 1e9).toFixed(6)}s`;

function printView(v: FdView, withUses: boolean, out: Output): void {
  out.line(`process ${v.process} fd ${v.fd}${v.path ? ` <${v.path}>` : ''}  ${s(v.firstTsNs)} .. ${s(v.lastTsNs)}${v.closedAt >= 0 ? ' (closed)' : ''}`);
  out.line(`  calls: ${Object.entries(v.calls).map(([k, n]) => `${k}×${n}`).join(' ')}`);
  if (v.waitsForRead + v.waitsForWrite > 0) {
    out.line(`  readiness: asked readable ${v.waitsForRead}× (ready ${v.readyForRead}×), asked writable ${v.waitsForWrite}× (ready ${v.readyForWrite}×)`);
  }
  if (v.stall) {
    const last = v.stall.everWritable && v.lastWritableTsNs !== null ? `last writable at ${s(v.lastWritableTsNs)}` : 'never writable';
    const wrote = v.lastWriteTsNs !== null ? `last write at ${s(v.lastWriteTsNs)}` : 'never written';
    out.line(`  WRITE STALL: asked writable ${v.stall.writePolls}× from ${s(v.stall.sinceTsNs)} on, never ready, nothing written (${last}, ${wrote})`);
  }
  if (withUses) {
    for (const u of v.uses) {
      const rw = u.asked ? ` asked=${u.asked.join('|')} ready=${(u.ready ?? []).join('|') || '-'}` : '';
      out.line(`    ${s(u.tsNs)} [${u.pid}] ${u.call} ${u.kind}${rw} = ${u.ret ?? '?'}${u.errno ? ` ${u.errno}` : ''}`);
    }
  }
}
