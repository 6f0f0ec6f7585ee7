/**
 * The script for "probe this line": check it with `perf probe -L/-V`, add it, record it (perf
 * or tracefs), clean up; plus the bpftrace equivalent where one exists. The event name is the
 * one perf will create (source/probe-names.ts), so a trace recorded with it maps back to this
 * very line.
 *
 * References: perf-probe(1) (PROBE SYNTAX, LINE SYNTAX, -L/-V/-a/-d), Documentation/trace/
 * kprobetrace.rst (events/probe/<name>/enable, kprobe_events), bpftrace(8) (kprobe:func+offset).
 */
import { predictedEventName } from '../source/probe-names';
import { VARIABLE_EXPR, rootName } from '../source/line-vars';
import { op, scriptLine, shellScript, type ScriptLine, type Word } from './shell';

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
  const enable = `${tracefs}/events/probe/${event}/enable`;
  const probe = `probe:${event}`;
  const steps: readonly (readonly Word[])[] = [
    ['perf', 'probe', '-L', p.function],
    ['perf', 'probe', '-V', point],
    ['perf', 'probe', '-a', [point, ...vars].join(' ')],
    ['echo', '1', op('>'), enable],
    ['cat', `${tracefs}/trace_pipe`],
    ['echo', '0', op('>'), enable],
    ['perf', 'record', '-e', probe, '-aR', '--', 'sleep', '10'],
    ['perf', 'script'],
    ['perf', 'probe', '-d', probe],
  ];
  const commands = steps.map((words) => scriptLine({ words }));
  const cmd = (i: number): ScriptLine => ({ words: steps[i] as readonly Word[] });
  const bpf: Word[] = ['bpftrace', '-e', `kprobe:${p.function} { @[cpu] = count(); }`];
  const script = shellScript([
    { comment: `Probe ${p.file}:${p.line} = ${point} (line ${p.relativeLine} of ${p.function}, counted as perf probe -L does).` },
    { comment: `perf will name the event ${probe}; recorded traces map back to this line.` },
    ...warnings.map((w) => ({ comment: `WARNING: ${w}` })),
    { words: ['set', '-e'] },
    {},
    { comment: '1. Check: the line numbers perf sees (needs kernel debuginfo) and the variables available there.' },
    cmd(0),
    cmd(1),
    {},
    { comment: '2. Add the probe.' },
    cmd(2),
    {},
    { comment: '3a. Record with ftrace: enable, read (Ctrl-C stops the read, not the script), disable.' },
    cmd(3),
    { words: ['trap', ':', 'INT', op(';'), ...(steps[4] as readonly Word[]), op('||'), 'true', op(';'), 'trap', '-', 'INT'] },
    cmd(5),
    {},
    { comment: '3b. Or record with perf.' },
    cmd(6),
    cmd(7),
    {},
    { comment: '4. Clean up.' },
    cmd(8),
    {},
    { comment: 'bpftrace equivalent:' },
    ...(p.relativeLine === 0
      ? [{ words: bpf }]
      : [
          // bpftrace has no source-line syntax, but a kprobe at an instruction offset is one:
          // perf probe -a turns FUNC:LINE into FUNC+OFFSET (the `(sym+0x9b/0x250)` a recorded
          // trace shows), and kprobe_events lists it while the probe exists.
          {
            comment: `bpftrace probes this line as kprobe:${p.function}+OFFSET, the instruction offset perf probe -a chose for it: kprobe_events lists it (p:${probe.replace(':', '/')} ${p.function}+OFFSET) after step 2, and a recorded trace shows it as (${p.function}+0x…/…).`,
          },
          { comment: scriptLine({ words: ['grep', '-F', `${probe.replace(':', '/')} `, `${tracefs}/kprobe_events`] }) },
          { comment: scriptLine({ words: ['bpftrace', '-e', `kprobe:${p.function}+OFFSET { @[cpu] = count(); }`] }) },
        ]),
  ]);
  return { event, group: 'probe', function: p.function, relativeLine: p.relativeLine, variables: vars, warnings, commands, script };
}

/** The note the editor adds when the C file has unsaved changes. */
export function unsavedNote(file: string): string {
  return `${file} has unsaved changes; line numbers are those of the saved file.`;
}

/** `# NOTE:` lines after the `#!` line and the script's own header comments, before `set -e`. */
export function withNotes(script: string, notes: readonly string[]): string {
  if (notes.length === 0) return script;
  const lines = script.split('\n');
  const at = lines.findIndex((l) => !l.startsWith('#'));
  lines.splice(at < 0 ? lines.length : at, 0, ...notes.map((n) => scriptLine({ comment: `NOTE: ${n}` })));
  return lines.join('\n');
}
