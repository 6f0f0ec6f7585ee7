/**
 * The script for "probe this line": check it with `perf probe -L/-V`, add it, record it (perf
 * or tracefs), clean up; plus the bpftrace equivalent where one exists. The event name is the
 * one perf will create (source/probe-names.ts), so a trace recorded with it maps back to this
 * very line.
 *
 * References: perf-probe(1) (PROBE SYNTAX, LINE SYNTAX, -L/-V/-a/-d), Documentation/trace/
 * kprobetrace.rst (events/probe/<name>/enable), bpftrace(8) (kprobe/kretprobe probes).
 */
import { predictedEventName } from '../source/probe-names';
import { VARIABLE_EXPR, rootName } from '../source/line-vars';
import { sq } from './shell';

export interface LineProbeInput {
  readonly function: string;
  /** Line relative to the line of the function's name (perf's numbering). */
  readonly relativeLine: number;
  /** Absolute line and file, for the script's comments. */
  readonly file: string;
  readonly line: number;
  /** Variables to record (member chains allowed). */
  readonly variables: readonly string[];
  /** Names in scope on the line; variables rooted elsewhere are flagged and left out. */
  readonly inScope: ReadonlySet<string>;
  readonly tracefs?: string;
}

export interface LineProbeScript {
  readonly event: string;
  readonly group: 'probe';
  readonly function: string;
  readonly relativeLine: number;
  readonly variables: readonly string[];
  readonly warnings: readonly string[];
  readonly commands: readonly string[];
  /** The whole script, commands with comments. */
  readonly script: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function lineProbeScript(p: LineProbeInput): LineProbeScript {
  if (!IDENT.test(p.function)) throw new Error(`not a C function name: ${JSON.stringify(p.function)}`);
  if (!Number.isSafeInteger(p.relativeLine) || p.relativeLine < 0) throw new Error(`relative line must be >= 0, got ${p.relativeLine}`);
  const warnings: string[] = [];
  const vars: string[] = [];
  for (const v of p.variables) {
    if (!VARIABLE_EXPR.test(v)) warnings.push(`"${v}" is not a C identifier or member chain (a, a->b, a.b); left out`);
    else if (!p.inScope.has(rootName(v))) warnings.push(`"${v}" is not in scope at ${p.function}:${p.relativeLine} (${p.file}:${p.line}); left out — perf probe would refuse it`);
    else if (!vars.includes(v)) vars.push(v);
  }
  const event = predictedEventName(p.function, p.relativeLine);
  const point = p.relativeLine > 0 ? `${p.function}:${p.relativeLine}` : p.function;
  const tracefs = p.tracefs ?? '/sys/kernel/tracing';
  const dir = `${tracefs}/events/probe/${event}`;
  const add = `perf probe -a ${sq([point, ...vars].join(' '))}`;
  const commands = [
    `perf probe -L ${sq(p.function)}`,
    `perf probe -V ${sq(point)}`,
    add,
    `echo 1 > ${sq(`${dir}/enable`)}`,
    `cat ${sq(`${tracefs}/trace_pipe`)}`,
    `echo 0 > ${sq(`${dir}/enable`)}`,
    `perf record -e ${sq(`probe:${event}`)} -aR -- sleep 10`,
    'perf script',
    `perf probe -d ${sq(`probe:${event}`)}`,
  ];
  const bpf =
    p.relativeLine === 0
      ? `bpftrace -e ${sq(`kprobe:${p.function} { @[cpu] = count(); }`)}`
      : `# bpftrace has no line probes: kprobe:${p.function} fires at the entry, kretprobe:${p.function} at the return.\n# bpftrace -e ${sq(`kprobe:${p.function} { @[cpu] = count(); }`)}`;
  const script = [
    '#!/bin/sh',
    `# Probe ${p.file}:${p.line} = ${point} (line ${p.relativeLine} of ${p.function}, counted as perf probe -L does).`,
    `# perf will name the event probe:${event}; recorded traces map back to this line.`,
    ...warnings.map((w) => `# WARNING: ${w}`),
    'set -e',
    '',
    '# 1. Check: the line numbers perf sees (needs kernel debuginfo) and the variables available there.',
    commands[0],
    commands[1],
    '',
    '# 2. Add the probe.',
    commands[2],
    '',
    '# 3a. Record with ftrace: enable, read (Ctrl-C stops the read, not the script), disable.',
    commands[3],
    `trap ':' INT; ${commands[4]} || true; trap - INT`,
    commands[5],
    '',
    '# 3b. Or record with perf.',
    commands[6],
    commands[7],
    '',
    '# 4. Clean up.',
    commands[8],
    '',
    '# bpftrace equivalent:',
    bpf,
    '',
  ].join('\n');
  return { event, group: 'probe', function: p.function, relativeLine: p.relativeLine, variables: vars, warnings, commands, script };
}
