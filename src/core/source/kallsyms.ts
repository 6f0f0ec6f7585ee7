/**
 * A saved /proc/kallsyms: raw kernel addresses -> `sym+0xoff/0xsize`, as the kernel's own
 * `%pS` prints them (kernel/kallsyms.c: the symbol is the last one at or below the address; its
 * size runs to the next higher address in the table, `__pfx_` padding symbols included).
 *
 * Format, one symbol a line: `ffffffff821946c0 t __xsk_rcv_zc` or, for modules,
 * `ffffffffc0a01000 t veth_xmit\t[veth]`. A file read without privilege has every address 0
 * (kptr_restrict / lockdown): that is refused with the reason, never "resolved" to garbage.
 */

export interface ResolvedAddress {
  readonly symbol: string;
  /** Bytes into the symbol. */
  readonly offset: bigint;
  /** Bytes to the next symbol. */
  readonly size: bigint;
  /** Module name for module symbols (`[veth]` -> `veth`), else null. */
  readonly module: string | null;
}

export class KallsymsError extends Error {}

/** Text symbol types (`t`/`T` code, `w`/`W` weak code); other types only end the symbol before them. */
const TEXT = new Set(['t', 'T', 'w', 'W']);
const LINE = /^([0-9a-fA-F]{1,16})\s+([A-Za-z?])\s+(\S+)(?:\s+\[([^\]\s]+)\])?\s*$/;

export class Kallsyms {
  private constructor(
    /** Distinct addresses, ascending. */
    private readonly addresses: BigUint64Array,
    /** The text symbol chosen at each address (null: no text symbol there). */
    private readonly names: readonly (string | null)[],
    private readonly modules: readonly (string | null)[],
    private readonly byName: ReadonlyMap<string, bigint>,
  ) {}

  /** Parses kallsyms text; `origin` names the file in errors. Throws KallsymsError on bad input. */
  static parse(text: string, origin: string): Kallsyms {
    const rows: { address: bigint; name: string; text: boolean; module: string | null; order: number }[] = [];
    let nonZero = false;
    let lineNo = 0;
    for (const raw of text.split('\n')) {
      lineNo++;
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') continue;
      const m = LINE.exec(line);
      if (!m) throw new KallsymsError(`${origin}:${lineNo}: not a kallsyms line (expected "ADDRESS TYPE NAME [MODULE]"): ${JSON.stringify(line.slice(0, 80))}`);
      const address = BigInt(`0x${m[1] as string}`);
      if (address !== 0n) nonZero = true;
      rows.push({ address, name: m[3] as string, text: TEXT.has(m[2] as string), module: m[4] ?? null, order: rows.length });
    }
    if (rows.length === 0) throw new KallsymsError(`${origin}: no symbols`);
    if (!nonZero) {
      throw new KallsymsError(
        `${origin}: every address is 0: it was read without privilege (kptr_restrict or lockdown hides addresses). Save it as root: sudo cat /proc/kallsyms > FILE`,
      );
    }
    rows.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.order - b.order));
    const addresses: bigint[] = [];
    const names: (string | null)[] = [];
    const modules: (string | null)[] = [];
    const byName = new Map<string, bigint>();
    for (const r of rows) {
      if (r.text && !byName.has(r.name)) byName.set(r.name, r.address);
      const last = addresses.length - 1;
      if (last >= 0 && addresses[last] === r.address) {
        // Aliases at one address (`__pi___x86_indirect_thunk_rax`, then `__x86_indirect_thunk_rax`):
        // the last text one listed, as perf script names them (perf gives the earlier aliases
        // zero length and keeps the one with a size: tools/perf/util/symbol.c), so raw addresses
        // and perf's own sym+off agree.
        if (r.text) {
          names[last] = r.name;
          modules[last] = r.module;
        }
        continue;
      }
      addresses.push(r.address);
      names.push(r.text ? r.name : null);
      modules.push(r.text ? r.module : null);
    }
    return new Kallsyms(BigUint64Array.from(addresses), names, modules, byName);
  }

  /** The text symbol containing `address`, or null (below the first symbol, past the last, or in data). */
  resolve(address: bigint): ResolvedAddress | null {
    const a = this.addresses;
    let lo = 0;
    let hi = a.length - 1;
    if (hi < 0 || address < (a[0] as bigint)) return null;
    // Last index with a[i] <= address.
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((a[mid] as bigint) <= address) lo = mid;
      else hi = mid - 1;
    }
    const name = this.names[lo];
    // The last symbol has no known end: the kernel would not print a size either.
    if (name === null || name === undefined || lo + 1 >= a.length) return null;
    const start = a[lo] as bigint;
    return { symbol: name, offset: address - start, size: (a[lo + 1] as bigint) - start, module: this.modules[lo] ?? null };
  }

  /** The address of a text symbol, if the table has it. */
  addressOf(name: string): bigint | undefined {
    return this.byName.get(name);
  }
}

/** `ffffffff81a2b3c4` / `0xffffffff81a2b3c4` as a bigint, or null when it is not a hex address. */
export function parseAddress(text: string): bigint | null {
  const m = /^(?:0x)?([0-9a-fA-F]{1,16})$/.exec(text.trim());
  return m ? BigInt(`0x${m[1] as string}`) : null;
}

/** `sym+0xoff/0xsize`, as the kernel prints it. */
export function formatSymbolOffset(r: ResolvedAddress): string {
  return `${r.symbol}+0x${r.offset.toString(16)}/0x${r.size.toString(16)}${r.module ? ` [${r.module}]` : ''}`;
}
