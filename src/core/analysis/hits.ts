/**
 * Probe hit counts on source lines: which line of the kernel produced each event, how often,
 * on which CPUs, from which tasks, and what the recorded variables held.
 *
 * Mapping (DESIGN.md "Linking to source"):
 *   perf probe events   `func_LN` -> line of func's name + N; `func__return` -> func's closing
 *                       brace; `func` -> func's name line (source/probe-names.ts)
 *   other kprobes       `(sym+0x9b/0x250)` -> the offset's line through addr2line on a vmlinux
 *                       with DWARF (HitsOptions.lineOf); without one, sym's definition, said so
 *   raw addresses       `(0xffffffff821946db)` probes and function-tracer lines printed as
 *                       addresses -> sym+off through a saved kallsyms (HitsOptions.kallsyms)
 *   samples             perf script `ip` (`cpu-clock:k:  ffffffff816e7d10`, with or without
 *                       perf's `sym+off`) -> one entry per event and function, on its line
 *   tracepoints         `trace_<event>(` call sites; several sites share the count, said so
 *   function tracer     the traced function's definition
 * Names defined more than once (static functions) give one entry per definition, marked
 * ambiguous: the caller lets the user pick, never guesses.
 */
import type { Trace } from '../trace/trace';
import { decodeEvent } from '../formats/decode';
import { probeTargets, type ProbeTarget } from '../source/probe-names';
import type { FunctionIndex, IndexedFunction, SourceTree } from '../source/function-index';
import { formatSymbolOffset, parseAddress, type Kallsyms } from '../source/kallsyms';

/**
 * `probe-offset`: a kprobe at sym+off placed on its exact line by addr2line.
 * `sample-symbol`: sampled instruction addresses (perf script `ip`) inside a function, on its line.
 */
export type MappingKind = 'probe-line' | 'probe-entry' | 'probe-return' | 'probe-symbol' | 'tracepoint-call' | 'function-entry' | 'probe-offset' | 'sample-symbol';

/** What the caller can add to the mapping (the worker fills these from the settings). */
export interface HitsOptions {
  /** Raw kernel addresses -> symbols (a saved /proc/kallsyms); `origin` names it in notes. */
  readonly kallsyms?: { readonly table: Kallsyms; readonly origin: string } | null;
  /** `sym+0xoff` -> exact source line (addr2line on a vmlinux with DWARF); null when not resolved. */
  readonly lineOf?: ((symbol: string, offset: number) => Promise<{ file: string; line: number; function: string } | null>) | null;
  /** Names the vmlinux in notes (`per addr2line on vmlinux`). */
  readonly vmlinuxName?: string | null;
  /**
   * Awaited every PAUSE_EVENTS events of the pass over the trace, so that its caller can answer
   * other requests meanwhile (the editor's worker: its timeline and table on a 1 GiB trace waited
   * ~7 s for the pass). Without it the pass runs through.
   */
  readonly pause?: (() => Promise<void>) | null;
}

/** Events between two pauses of the pass (HitsOptions.pause): ~50 ms of it. */
const PAUSE_EVENTS = 1 << 16;

export interface ValueStats {
  readonly distinct: number;
  /** Numeric range when every value is a number (decimal or 0x hex), as written. */
  readonly min: string | null;
  readonly max: string | null;
  /** Most frequent values, most frequent first (at most 5). */
  readonly top: readonly (readonly [string, number])[];
}

export interface HitEntry {
  /** Event name (for function-tracer events, `function:<func>`). */
  readonly event: string;
  readonly file: string;
  readonly line: number;
  readonly function: string | null;
  readonly count: number;
  /** CPU -> count. */
  readonly cpus: Record<string, number>;
  /** `comm-pid` -> count (the 20 busiest). */
  readonly tasks: Record<string, number>;
  readonly mapping: MappingKind;
  /** More than one definition or call site matches: the count is not split between them. */
  readonly ambiguous: boolean;
  /** Why the mapping is approximate, when it is. */
  readonly note: string | null;
  /** Recorded field -> value statistics (probe and tracepoint fields). */
  readonly vars: Record<string, ValueStats>;
}

export interface HitsResult {
  readonly hits: HitEntry[];
  /** Events that could not be placed on a line, with the reason. */
  readonly unmapped: { readonly event: string; readonly count: number; readonly reason: string }[];
}

/** Events per group whose fields are decoded for value statistics (the rest are counted only). */
const VALUE_SAMPLE = 100_000;
const TOP_VALUES = 5;
const TOP_TASKS = 20;

interface Group {
  readonly key: string;
  readonly event: string;
  count: number;
  readonly cpus: Map<number, number>;
  readonly tasks: Map<string, number>;
  readonly values: Map<string, Map<string, number>>;
  decoded: number;
  /** From the first event's probe site, when the payload had one. */
  probeSymbol: string | null;
  /** Offset into probeSymbol (bytes), when the site had one (`sym+0x9b/...`, or a raw address). */
  probeOffset: number | null;
  /** How a raw address became probeSymbol/func (`0x... is sym+0x1b/0x250 per FILE`). */
  addressNote: string | null;
  /** A raw address no kallsyms resolved (the event stays unmapped, saying why). */
  rawAddress: string | null;
  /** perf samples: the group is one function's share of an event's sampled addresses. */
  sampled: boolean;
  isProbe: boolean;
  func: string | null;
}

/** Events that are not source lines (markers, annotations the readers synthesise). */
const NOT_CODE = new Set(['tracing_mark_write', 'print', 'bprint', 'bputs', 'raw_data', 'kernel_stack', 'user_stack', 'context_switch', 'wakeup']);

export async function computeHits(trace: Trace, index: FunctionIndex, tree: SourceTree, options: HitsOptions = {}): Promise<HitsResult> {
  const groups = await groupEvents(trace, options.kallsyms ?? null, options.pause ?? null);
  const hits: HitEntry[] = [];
  const unmapped: HitsResult['unmapped'][number][] = [];

  // 1. Functions named by probe events and function-tracer lines, looked up in one batch.
  const wanted = new Set<string>();
  for (const g of groups.values()) {
    if (g.func) wanted.add(g.func);
    else if (g.isProbe) {
      for (const t of probeTargets(g.event)) wanted.add(t.function);
      if (g.probeSymbol) wanted.add(g.probeSymbol);
    }
  }
  const defs = await index.definitions([...wanted]);
  // 2. Tracepoint call sites for everything else.
  const tracepoints = [...groups.values()].filter((g) => !g.func && !g.isProbe && !NOT_CODE.has(g.event)).map((g) => g.event);
  const calls = await tree.findTracepointCalls(tracepoints);

  for (const g of groups.values()) {
    if (NOT_CODE.has(g.event)) continue;
    if (g.rawAddress !== null) {
      unmapped.push({
        event: g.key,
        count: g.count,
        reason: options.kallsyms
          ? `${g.rawAddress} is not inside a text symbol of ${options.kallsyms.origin}`
          : `${g.sampled ? 'sampled addresses such as ' : ''}${g.rawAddress} ${g.sampled ? 'are raw addresses' : 'is a raw address'}: set kernelTrace.kallsyms (a saved /proc/kallsyms; ktl: --kallsyms) to resolve ${g.sampled ? 'them' : 'it'}`,
      });
      continue;
    }
    if (g.func) {
      const d = defs.get(g.func) ?? [];
      if (d.length === 0) unmapped.push({ event: g.key, count: g.count, reason: `no definition of ${g.func} in the source tree` });
      for (const def of d) hits.push(entry(g, def.file, def.declLine, def.name, g.sampled ? 'sample-symbol' : 'function-entry', d.length > 1, g.addressNote));
      continue;
    }
    if (g.isProbe) {
      const placed = placeProbe(g, defs, options);
      // A perf probe name says its own line; a bare sym+off is refined by addr2line when it can.
      const exact = placed === null || placed.mapping === 'probe-symbol' ? await exactProbeLine(g, options) : null;
      if (exact) {
        hits.push(entry(g, exact.file, exact.line, exact.function, 'probe-offset', false, exact.note));
        continue;
      }
      if (!placed) {
        unmapped.push({ event: g.key, count: g.count, reason: `no definition of ${probeTargets(g.event).map((t) => t.function).join(' / ')} in the source tree` });
        continue;
      }
      for (const def of placed.defs) {
        const line = placed.target.kind === 'line' ? def.declLine + placed.target.relLine : placed.target.kind === 'return' ? def.endLine : def.declLine;
        const note = [g.addressNote, placed.note].filter((n) => n !== null).join('; ') || null;
        hits.push(entry(g, def.file, line, def.name, placed.mapping, placed.defs.length > 1, note));
      }
      continue;
    }
    const sites = calls.filter((c) => c.tracepoint === g.event);
    if (sites.length === 0) {
      unmapped.push({ event: g.key, count: g.count, reason: `no trace_${g.event}() call in the source tree` });
      continue;
    }
    const note = sites.length > 1 ? `${sites.length} call sites of trace_${g.event}(); the trace does not say which one fired, so each shows the event's total` : null;
    for (const s of sites) hits.push(entry(g, s.file, s.line, null, 'tracepoint-call', sites.length > 1, note));
  }
  hits.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.event < b.event ? -1 : 1)));
  return { hits, unmapped };
}

/** A kprobe at `sym+off` that is not a perf probe line name: addr2line's line, when it knows it. */
async function exactProbeLine(g: Group, options: HitsOptions): Promise<{ file: string; line: number; function: string; note: string } | null> {
  if (!options.lineOf || g.probeSymbol === null || g.probeOffset === null) return null;
  const at = await options.lineOf(g.probeSymbol, g.probeOffset);
  if (!at) return null;
  const where = `${g.probeSymbol}+0x${g.probeOffset.toString(16)}`;
  const via = options.vmlinuxName ? `addr2line on ${options.vmlinuxName}` : 'addr2line';
  const inlined = at.function !== g.probeSymbol ? ` (inlined ${at.function})` : '';
  return { ...at, note: [g.addressNote, `${where} is this line${inlined}, per ${via}`].filter((n) => n !== null).join('; ') };
}

function placeProbe(
  g: Group,
  defs: Map<string, IndexedFunction[]>,
  options: HitsOptions,
): { target: ProbeTarget; defs: IndexedFunction[]; mapping: MappingKind; note: string | null } | null {
  for (const t of probeTargets(g.event)) {
    const d = defs.get(t.function) ?? [];
    if (d.length === 0) continue;
    const mapping: MappingKind = t.kind === 'line' ? 'probe-line' : t.kind === 'return' ? 'probe-return' : 'probe-entry';
    return { target: t, defs: d, mapping, note: null };
  }
  if (g.probeSymbol) {
    const d = defs.get(g.probeSymbol) ?? [];
    if (d.length > 0) {
      return {
        target: { kind: 'entry', function: g.probeSymbol },
        defs: d,
        mapping: 'probe-symbol',
        note: options.lineOf
          ? `addr2line${options.vmlinuxName ? ` on ${options.vmlinuxName}` : ''} did not resolve ${g.probeSymbol}+0x${(g.probeOffset ?? 0).toString(16)}: shown on the definition of ${g.probeSymbol}`
          : `mapped to the definition of ${g.probeSymbol}: the exact line of an offset needs DWARF (kernelTrace.vmlinux / --vmlinux: addr2line on a vmlinux with debug info)`,
      };
    }
  }
  return null;
}

async function groupEvents(trace: Trace, kallsyms: HitsOptions['kallsyms'], pause: (() => Promise<void>) | null): Promise<Map<string, Group>> {
  const groups = new Map<string, Group>();
  const functionId = trace.strings.find('function');
  /** isTracepointName by event id (1 yes, 2 no, 0 not yet asked): one regex per name, not per event. */
  const tracepointName = new Uint8Array(trace.strings.size);
  for (let i = 0; i < trace.length; i++) {
    if (pause && i > 0 && i % PAUSE_EVENTS === 0) await pause();
    const ev = trace.eventId(i);
    let key = trace.strings.get(ev);
    if (tracepointName[ev] === 0) tracepointName[ev] = isTracepointName(key) ? 1 : 2;
    let func: string | null = null;
    let raw: string | null = null;
    let sample: Sample | null = null;
    if (ev === functionId) {
      const text = trace.payloadText(i);
      func = /^\s*([A-Za-z_][\w.]*)/.exec(text)?.[1]?.replace(/\..*$/, '') ?? null;
      // The function tracer prints an address when the kernel had no symbol for it.
      if (!func) raw = /^\s*(0x[0-9a-fA-F]{8,16}|[0-9a-fA-F]{16})\b/.exec(text)?.[1] ?? null;
      if (func) key = `function:${func}`;
      else if (raw) key = `function:${raw}`;
    } else if (tracepointName[ev] === 2 && (sample = sampleAt(trace.payloadText(i), kallsyms)) !== null) {
      key = `${key} @ ${sample.symbol ?? 'raw addresses'}`;
    }
    let g = groups.get(key);
    if (!g) {
      const payload = trace.payloadText(i);
      g = {
        key,
        event: trace.strings.get(ev),
        count: 0,
        cpus: new Map(),
        tasks: new Map(),
        values: new Map(),
        decoded: 0,
        probeSymbol: null,
        probeOffset: null,
        addressNote: null,
        rawAddress: null,
        sampled: false,
        isProbe: func === null && raw === null && payload.startsWith('('),
        func,
      };
      if (sample !== null) {
        g.sampled = true;
        g.isProbe = false;
        if (sample.symbol !== null) {
          g.func = sample.symbol;
          g.addressNote = sample.note;
        } else g.rawAddress = sample.raw;
      } else if (raw !== null) {
        const r = resolveRaw(raw, kallsyms);
        if (r) {
          g.func = r.resolved.symbol.replace(/\..*$/, '');
          g.addressNote = r.note;
        } else g.rawAddress = raw;
      }
      if (g.isProbe) {
        const probe = decodeEvent(trace, i).probe;
        g.probeSymbol = probe?.symbol ?? null;
        g.probeOffset = probe?.symbol ? probe.offset : null;
        if (probe && probe.symbol === null && probe.address) {
          const r = resolveRaw(probe.address, kallsyms);
          if (r) {
            g.probeSymbol = r.resolved.symbol.replace(/\..*$/, '');
            g.probeOffset = Number(r.resolved.offset);
            g.addressNote = r.note;
          }
        }
      }
      groups.set(key, g);
    }
    g.count++;
    const cpu = trace.cpu(i);
    g.cpus.set(cpu, (g.cpus.get(cpu) ?? 0) + 1);
    const task = `${trace.comm(i)}-${trace.pid(i)}`;
    g.tasks.set(task, (g.tasks.get(task) ?? 0) + 1);
    if (ev !== functionId && !g.sampled && g.decoded < VALUE_SAMPLE && !NOT_CODE.has(g.event)) {
      g.decoded++;
      for (const [k, v] of Object.entries(decodeEvent(trace, i).fields)) {
        if (k === 'text') continue;
        let m = g.values.get(k);
        if (!m) g.values.set(k, (m = new Map()));
        m.set(v, (m.get(v) ?? 0) + 1);
      }
    }
  }
  return groups;
}

interface Sample {
  readonly raw: string;
  /** The function (compiler clone suffix dropped), or null when nothing resolved the address. */
  readonly symbol: string | null;
  readonly note: string | null;
}

/** perf script's sample ip: `ffffffff816e7d10` alone, or followed by perf's own `sym+0xoff`. */
const SAMPLE_IP = /^\s*([0-9a-f]{16})(?:\s+([A-Za-z_][\w.]*)\+0x[0-9a-f]+)?\s*$/;

/**
 * perf's `subsystem:name` tracepoints (their ip is the tracepoint's own code: they map to their
 * call sites instead), not sampling events with modifiers (`cpu-clock:k`, `cycles:pppH`).
 */
function isTracepointName(event: string): boolean {
  const m = /^[\w-]+:([A-Za-z_]\w*)$/.exec(event);
  return m !== null && !/^[ukhHGIpPSDeW]+$/.test(m[1] as string);
}

function sampleAt(payload: string, kallsyms: HitsOptions['kallsyms']): Sample | null {
  const m = SAMPLE_IP.exec(payload);
  if (!m) return null;
  const raw = m[1] as string;
  if (m[2] !== undefined) return { raw, symbol: m[2].replace(/\..*$/, ''), note: null };
  const r = resolveRaw(raw, kallsyms);
  return { raw, symbol: r ? r.resolved.symbol.replace(/\..*$/, '') : null, note: r ? `sampled addresses resolved per ${kallsyms?.origin ?? 'kallsyms'}` : null };
}

function resolveRaw(text: string, kallsyms: HitsOptions['kallsyms']): { resolved: NonNullable<ReturnType<Kallsyms['resolve']>>; note: string } | null {
  const address = parseAddress(text);
  const resolved = address === null || !kallsyms ? null : kallsyms.table.resolve(address);
  return resolved && kallsyms ? { resolved, note: `${text} is ${formatSymbolOffset(resolved)} per ${kallsyms.origin}` } : null;
}

function entry(g: Group, file: string, line: number, fn: string | null, mapping: MappingKind, ambiguous: boolean, note: string | null): HitEntry {
  const tasks = [...g.tasks].sort((a, b) => b[1] - a[1]).slice(0, TOP_TASKS);
  const vars: Record<string, ValueStats> = {};
  for (const [k, m] of g.values) vars[k] = valueStats(m);
  return {
    event: g.key,
    file,
    line,
    function: fn,
    count: g.count,
    cpus: Object.fromEntries([...g.cpus].sort((a, b) => a[0] - b[0]).map(([c, n]) => [String(c), n])),
    tasks: Object.fromEntries(tasks),
    mapping,
    ambiguous,
    note,
    vars,
  };
}

function valueStats(m: Map<string, number>): ValueStats {
  const top = [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_VALUES);
  // A range only when every value is a number; kept as written (hex stays hex).
  const numeric: [bigint, string][] = [];
  for (const v of m.keys()) {
    const n = asBigInt(v);
    if (n === null) return { distinct: m.size, min: null, max: null, top };
    numeric.push([n, v]);
  }
  let lo = numeric[0];
  let hi = numeric[0];
  for (const x of numeric) {
    if (lo === undefined || x[0] < lo[0]) lo = x;
    if (hi === undefined || x[0] > hi[0]) hi = x;
  }
  return { distinct: m.size, min: lo?.[1] ?? null, max: hi?.[1] ?? null, top };
}

function asBigInt(v: string): bigint | null {
  if (/^-?\d+$/.test(v)) return BigInt(v);
  if (/^0x[0-9a-f]+$/i.test(v)) return BigInt(v);
  return null;
}
