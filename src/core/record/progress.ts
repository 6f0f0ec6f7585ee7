/**
 * Progress of a recording from `per_cpu/cpuN/stats` (kernel/trace/trace.c, tracing_stats_read):
 * `entries` (events in the buffer now), `overrun` (overwritten: lost in overwrite mode),
 * `dropped events` (lost because the buffer was full, no-overwrite mode), `bytes` (in use).
 */
export interface CpuStats {
  readonly cpu: number;
  readonly entries: number;
  readonly overrun: number;
  readonly dropped: number;
  readonly bytes: number;
}

export interface RecordProgress {
  readonly perCpu: readonly CpuStats[];
  readonly events: number;
  /** overrun + dropped, every CPU. */
  readonly lost: number;
  /** The fullest CPU's buffer, 0..1 (bytes in use / buffer_size_kb). */
  readonly fill: number;
  readonly elapsedMs: number;
}

function field(text: string, name: string): number {
  const m = new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

export function parseCpuStats(cpu: number, text: string): CpuStats {
  return { cpu, entries: field(text, 'entries'), overrun: field(text, 'overrun'), dropped: field(text, 'dropped events'), bytes: field(text, 'bytes') };
}

export function summarizeProgress(perCpu: readonly CpuStats[], bufferKb: number, elapsedMs: number): RecordProgress {
  let events = 0;
  let lost = 0;
  let fill = 0;
  for (const c of perCpu) {
    events += c.entries;
    lost += c.overrun + c.dropped;
    if (bufferKb > 0) fill = Math.max(fill, Math.min(1, c.bytes / (bufferKb * 1024)));
  }
  return { perCpu, events, lost, fill, elapsedMs };
}

/** One line: `12 345 events (cpu0 10 000, cpu1 2 345) · buffer 37% · lost 0`. */
export function progressLine(p: RecordProgress): string {
  const cpus = p.perCpu.map((c) => `cpu${c.cpu} ${c.entries}`).join(', ');
  return `${p.events} events (${cpus}) · buffer ${Math.round(p.fill * 100)}% · lost ${p.lost}`;
}
