/**
 * A memory budget for reading one file (issue 10, item 5). Event columns live outside the JS
 * heap, so a file of many tiny records (a sparse pcap of zero-length packets) would grow the
 * process without limit, and a file of millions of distinct names fills the JS heap with the
 * string table. TraceBuilder and its StringTable add what they allocate as they grow; the loader
 * (io/file-source.ts) checks `exceeded()` after each chunk and stops the reader there, keeping
 * what was read.
 *
 * Readers create their own TraceBuilder, so the budget reaches the builder as the one in force
 * while the reader is constructed (`withMemoryBudget`), not through every reader's constructor.
 */

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Estimated JS heap bytes per interned string beyond 2 bytes per byte of its text: the string,
 * its UTF-8 copy (a Uint8Array), the Map entry, three array slots and the probe table. Measured
 * with node 20: 290-350 bytes for 8-40 byte names.
 */
export const STRING_OVERHEAD_BYTES = 300;

export class MemoryBudget {
  /** Bytes of event columns (typed-array blocks) allocated so far. */
  columnBytes = 0;
  /** Estimated JS heap bytes of the string table. */
  stringBytes = 0;
  private readonly builders: { readonly length: number }[] = [];

  /**
   * `limitBytes`: columns + strings. `stringLimitBytes`: strings alone (they live in the JS
   * heap, which has its own, smaller limit: a V8 out-of-memory is a crash, not an error).
   */
  constructor(
    readonly limitBytes: number,
    readonly stringLimitBytes = Infinity,
  ) {}

  /** Events in the builders that draw on this budget. */
  get events(): number {
    let n = 0;
    for (const b of this.builders) n += b.length;
    return n;
  }

  /** @internal TraceBuilder registers itself so the error can say how many events were read. */
  attach(builder: { readonly length: number }): void {
    this.builders.push(builder);
  }

  /** Why reading must stop (the budget reached), or null. */
  exceeded(): string | null {
    if (this.columnBytes + this.stringBytes > this.limitBytes) return `memory budget ${formatBytes(this.limitBytes)} reached`;
    if (this.stringBytes > this.stringLimitBytes) return `memory budget for names reached (${formatBytes(this.stringLimitBytes)}, half of the JS heap limit, for the string table)`;
    return null;
  }
}

let active: MemoryBudget | null = null;

/** Runs `make` (a reader's construction) with `budget` as the budget of every TraceBuilder it creates. */
export function withMemoryBudget<T>(budget: MemoryBudget, make: () => T): T {
  const previous = active;
  active = budget;
  try {
    return make();
  } finally {
    active = previous;
  }
}

/** @internal The budget in force for a TraceBuilder being constructed now. */
export function activeMemoryBudget(): MemoryBudget | null {
  return active;
}

/** The default budget: half of the machine's memory, at most 8 GiB. */
export function defaultMemoryBudgetBytes(totalMemoryBytes: number): number {
  return Math.min(Math.floor(totalMemoryBytes / 2), 8 * GiB);
}

/**
 * Parses a size as `ktl --max-memory` and `kernelTrace.maxMemory` take it: bytes, or a number
 * with K, M, G or T (binary: KiB, MiB, GiB, TiB; `512M`, `2G`, `1.5G`, `512MiB`). Null when
 * it is not one.
 */
export function parseMemorySize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGT])(?:i?B)?|B)?\s*$/i.exec(text);
  if (!m) return null;
  const scale = { K: 1024, M: MiB, G: GiB, T: 1024 * GiB }[(m[2] ?? '').toUpperCase() as 'K'] ?? 1;
  const bytes = Math.floor(Number(m[1]) * scale);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

/** `512 MiB`, `2 GiB`, `1.5 GiB`, `4096 bytes`. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['TiB', 1024 * GiB],
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', 1024],
  ] as const) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${unit}`;
  }
  return `${n} bytes`;
}
