/**
 * Commands a recording runs or shows: the `perf probe` lines of Probe This Line's scripts (add
 * before, delete after) and the privileged path's `sudo ktl record …` terminal line. Arguments
 * stay argv arrays until shown; a shown line is built by probes/shell.ts (every word quoted).
 */
import { scriptLine } from '../probes/shell';
import type { EventExpr } from './plan';

/** Splits one sh command line into words (single and double quotes, backslash); null on unclosed quotes. */
export function shellWords(line: string): string[] | null {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return null;
      cur += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1] as string)) j++;
        cur += line[j];
      }
      if (j >= line.length) return null;
      i = j;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (c === '#' && !inWord) {
      break;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/**
 * The probe definitions of a script: the argument of every `perf probe -a SPEC` /
 * `--add SPEC` / `--add=SPEC` line (Probe This Line writes `perf probe -a 'func:7 var'`).
 */
export function probeSpecsOfScript(text: string): string[] {
  const specs: string[] = [];
  for (const line of text.split('\n')) {
    const w = shellWords(line.trim());
    if (!w) continue;
    const at = w.indexOf('perf');
    if (at < 0 || w[at + 1] !== 'probe') continue;
    for (let i = at + 2; i < w.length; i++) {
      const a = w[i] as string;
      if ((a === '-a' || a === '--add') && w[i + 1] !== undefined) specs.push(w[++i] as string);
      else if (a.startsWith('--add=')) specs.push(a.slice(6));
    }
  }
  return specs;
}

export function perfProbeAddArgv(spec: string): string[] {
  return ['probe', '-a', spec];
}

export function perfProbeDeleteArgv(event: string): string[] {
  return ['probe', '-d', event];
}

/**
 * The events `perf probe -a` made, from its output:
 *   Added new event:
 *     probe:xsk_flush      (on xsk_flush with xs)
 */
export function addedProbeEvents(output: string): string[] {
  const out: string[] = [];
  let inList = false;
  for (const line of output.split('\n')) {
    if (/^Added new events?:/.test(line.trim())) inList = true;
    else if (inList) {
      const m = /^\s+([A-Za-z0-9_]+:[A-Za-z0-9_]+)\s+\(on /.exec(line);
      if (m) out.push(m[1] as string);
      else if (line.trim() !== '') inList = false;
    }
  }
  return out;
}

export interface RecordCliArgs {
  readonly events: readonly string[];
  readonly probes: readonly string[];
  readonly filters: readonly EventExpr[];
  readonly stopMarker?: string;
  readonly stopEvent?: EventExpr;
  readonly durationS?: number;
  readonly bufferKb?: number;
  readonly markers: boolean;
  readonly out: string;
  readonly statusFile?: string;
  readonly command?: readonly string[];
}

/** `ktl record` arguments for `args` (argv, not yet quoted). */
export function recordArgv(a: RecordCliArgs): string[] {
  const argv = ['record'];
  for (const e of a.events) argv.push('--event', e);
  for (const p of a.probes) argv.push('--probe', p);
  for (const f of a.filters) argv.push('--filter', `${f.event}:${f.expr}`);
  if (a.stopMarker !== undefined) argv.push('--stop-marker', a.stopMarker);
  if (a.stopEvent) argv.push('--stop-event', `${a.stopEvent.event}:${a.stopEvent.expr}`);
  if (a.durationS !== undefined) argv.push('--duration', String(a.durationS));
  if (a.bufferKb !== undefined) argv.push('--buffer-kb', String(a.bufferKb));
  if (!a.markers) argv.push('--no-markers');
  if (a.statusFile !== undefined) argv.push('--status-file', a.statusFile);
  argv.push('--out', a.out);
  if (a.command && a.command.length > 0) argv.push('--', ...a.command);
  return argv;
}

/** The terminal line of the privileged path: `sudo NODE CLI record …`, every word quoted. */
export function sudoRecordLine(node: string, cli: string, a: RecordCliArgs, prefix: readonly string[] = []): string {
  return scriptLine({ words: ['sudo', ...prefix, node, cli, ...recordArgv(a)] });
}
