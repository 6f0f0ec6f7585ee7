/**
 * `ktl diff A B`: before and after (core/analysis/diff). Counts per event, CPU, task and (with
 * --source) source line side by side, findings and flows present in one input only.
 */
import { loadTrace } from './load';
import { diffTraces, type TraceDiff } from '../core/analysis/diff/trace-diff';
import type { CountRow } from '../core/analysis/diff/count-rows';
import type { FindingsDiff } from '../core/analysis/diff/finding-diff';
import { builtinModel, builtinModelNames } from '../core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../core/analysis/lifecycle/model';
import type { Trace } from '../core/trace/trace';
import { UsageError, nonNegative, type Command } from './commands';
import { hitsOf } from './hits';
import { resolveModel } from './lifecycle';
import type { Output } from './output';

export const diffCommand: Command = {
  name: 'diff',
  usage: 'diff A B [--json] [--source DIR [--kallsyms FILE] [--vmlinux FILE] [--no-cache]] [--model af-xdp|skb|PATH]... [--top N]',
  options: {
    json: { type: 'boolean' },
    source: { type: 'string' },
    kallsyms: { type: 'string' },
    vmlinux: { type: 'string' },
    'no-cache': { type: 'boolean' },
    model: { type: 'string', multiple: true },
    top: { type: 'string' },
  },
  async run(args, out) {
    const [fa, fb, ...extra] = args.positionals;
    if (fa === undefined || fb === undefined || extra.length > 0) throw new UsageError('ktl diff expects two files: A (before) and B (after)');
    const given = (args.values.model as string[] | undefined) ?? [];
    // Without --model every built-in model runs: a trace without its events just has no findings.
    const models: LifecycleModel[] = given.length > 0 ? given.map((m) => resolveModel(m, undefined)) : builtinModelNames().map((n) => builtinModel(n) as LifecycleModel);
    const top = typeof args.values.top === 'string' ? nonNegative('--top', args.values.top) : 20;
    const source = typeof args.values.source === 'string' ? args.values.source : null;
    const traces: Trace[] = [];
    try {
      const ta = await loadTrace(fa, args);
      traces.push(ta);
      const tb = await loadTrace(fb, args);
      traces.push(tb);
      const hitsA = source ? (await hitsOf(ta, source, args)).hits : undefined;
      const hitsB = source ? (await hitsOf(tb, source, args)).hits : undefined;
      const d = diffTraces({ name: fa, trace: ta, ...(hitsA ? { hits: hitsA } : {}) }, { name: fb, trace: tb, ...(hitsB ? { hits: hitsB } : {}) }, { models });
      if (args.values.json === true) out.line(JSON.stringify(d));
      else printDiff(d, top, out);
    } finally {
      for (const t of traces) t.close();
    }
  },
};

function ratio(r: number | null): string {
  return r === null ? 'new' : `×${r.toFixed(2)}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function rows(title: string, list: readonly CountRow[], top: number, rates: boolean, out: Output): void {
  const changed = list.filter((r) => r.diff !== 0);
  out.line(`${title} (${changed.length} of ${list.length} changed):`);
  for (const r of list.slice(0, top)) {
    const rate = rates && r.rateA !== undefined && r.rateB !== undefined ? `  ${r.rateA.toFixed(1)}/s -> ${r.rateB.toFixed(1)}/s` : '';
    out.line(`  ${String(r.a).padStart(9)} ${String(r.b).padStart(9)} ${signed(r.diff).padStart(9)} ${ratio(r.ratio).padStart(8)}  ${r.key}${rate}`);
  }
  if (list.length > top) out.line(`  ... ${list.length - top} more (--top N, or --json)`);
}

function findingLines(title: string, f: FindingsDiff, out: Output): void {
  if (f.kinds.length === 0) return;
  out.line(`${title}: ${f.kinds.map((k) => `${k.kind} ${k.a} -> ${k.b}`).join(', ')}`);
  for (const s of f.onlyA) out.line(`  only in A (${s.a}x): ${s.example.message}`);
  for (const s of f.onlyB) out.line(`  only in B (${s.b}x): ${s.example.message}`);
}

function printDiff(d: TraceDiff, top: number, out: Output): void {
  const sec = (ns: number): string => `${(ns / 1e9).toFixed(6)} s`;
  out.line(`A ${d.a.name}: ${d.a.format}, ${d.a.events} events, ${sec(d.a.durationNs)}`);
  out.line(`B ${d.b.name}: ${d.b.format}, ${d.b.events} events, ${sec(d.b.durationNs)}`);
  if (d.rates) out.line('the spans differ: rates per second shown after each row');
  out.line(`${'A'.padStart(11)} ${'B'.padStart(9)} ${'B-A'.padStart(9)} ${'B/A'.padStart(8)}`);
  rows('events', d.events, top, d.rates, out);
  rows('cpus', d.cpus, top, d.rates, out);
  rows('tasks (by comm)', d.tasks, top, d.rates, out);
  if (d.lines) {
    out.line(`source lines (${d.lines.filter((r) => r.diff !== 0).length} of ${d.lines.length} changed):`);
    for (const r of d.lines.slice(0, top)) out.line(`  ${String(r.a).padStart(9)} ${String(r.b).padStart(9)} ${signed(r.diff).padStart(9)} ${ratio(r.ratio).padStart(8)}  ${r.file}:${r.line} ${r.event}`);
  }
  for (const l of d.lifecycle) {
    rows(`lifecycle ${l.model}: objects by final state`, l.outcomes, top, false, out);
    findingLines(`lifecycle ${l.model} findings`, l.findings, out);
  }
  findingLines('findings', d.findings, out);
  if (d.flows) {
    rows('flows (packets)', d.flows.rows, top, false, out);
    for (const r of d.flows.onlyA) out.line(`  only in A: ${r.key} (${r.a} packets)`);
    for (const r of d.flows.onlyB) out.line(`  only in B: ${r.key} (${r.b} packets)`);
  }
}
