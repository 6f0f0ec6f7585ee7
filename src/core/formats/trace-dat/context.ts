/**
 * What a trace.dat reader leaves behind for on-demand decoding: the event formats, saved
 * command lines, kallsyms and trace_printk formats from the file's metadata, and a way back
 * to each record's bytes (the file itself, or decompressed chunks of a v7 compressed buffer).
 *
 * Record addresses: uncompressed data is addressed by file offset. Decompressed chunks get
 * virtual addresses from VIRTUAL_BASE upwards (each chunk a contiguous range), so one number
 * per event finds its bytes either way.
 */
import type { ByteSource } from '../../trace/byte-source';
import { inflate, type Codec } from './compress';
import type { Endian } from './bytes';
import type { CommonLayout, EventFormat } from './event-format';
import { eventAt } from './ring';
import { unescapeC } from '../text-util';

/** First virtual address of decompressed data: above any real file offset, exact in a double. */
export const VIRTUAL_BASE = 2 ** 44;

export interface ChunkRef {
  /** Virtual address of the chunk's first decompressed byte. */
  readonly vstart: number;
  readonly usize: number;
  /** File offset and size of the compressed bytes. */
  readonly fileOffset: number;
  readonly csize: number;
}

/** One kallsyms entry; addresses kept as bigint (kernel addresses exceed 2^53). */
interface Sym {
  readonly addr: bigint;
  readonly name: string;
  readonly module: string | null;
}

const CHUNK_CACHE = 4;

export class DatContext {
  readonly formats = new Map<number, EventFormat>();
  readonly cmdlines = new Map<number, string>();
  /** trace_printk formats by address (bprint/bputs events point at them). */
  readonly printk = new Map<bigint, string>();
  kallsymsText: Uint8Array | null = null;
  readonly chunks: ChunkRef[] = [];
  codec: Codec | null = null;
  source: ByteSource | null = null;
  private syms: Sym[] | null = null;
  private readonly chunkCache = new Map<number, Uint8Array>();

  constructor(
    readonly endian: Endian,
    /** User-space long size from the initial header. */
    readonly longSize: number,
    /** Kernel long size (header_page's commit word): the size of pointers in records. */
    public kernelLong: number,
    public common: CommonLayout,
  ) {}

  /** The payload of the event whose header is at `addr`, or null when it cannot be read back. */
  payload(addr: number): Uint8Array | null {
    const src = this.source;
    if (!src) return null;
    let bytes: Uint8Array;
    let at: number;
    if (addr >= VIRTUAL_BASE) {
      const c = this.chunkOf(addr);
      if (!c) return null;
      const data = this.chunkData(c, src);
      if (!data) return null;
      bytes = data;
      at = addr - c.vstart;
    } else {
      // Event header + length word first, then the whole record (at most one ring-buffer page).
      const head = src.read(addr, 8);
      if (head.length < 4) return null;
      const word = this.endian.u32(head, 0);
      const typeLen = this.endian.little ? word & 31 : word >>> 27;
      if (typeLen === 0 && head.length < 8) return null;
      const total = typeLen === 0 ? 4 + this.endian.u32(head, 4) : 4 + typeLen * 4;
      bytes = src.read(addr, Math.min(total, 1 << 24));
      at = 0;
    }
    const ev = eventAt(bytes, at, this.endian);
    if (!ev) return null;
    return bytes.subarray(ev.dataAt, ev.dataAt + ev.dataLen);
  }

  private chunkOf(addr: number): ChunkRef | null {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid] as ChunkRef;
      if (addr < c.vstart) hi = mid - 1;
      else if (addr >= c.vstart + c.usize) lo = mid + 1;
      else return c;
    }
    return null;
  }

  private chunkData(c: ChunkRef, src: ByteSource): Uint8Array | null {
    const hit = this.chunkCache.get(c.vstart);
    if (hit) return hit;
    if (!this.codec) return null;
    const r = inflate(this.codec, src.read(c.fileOffset, c.csize).slice(), c.usize);
    if (!r.ok) return null;
    if (this.chunkCache.size >= CHUNK_CACHE) this.chunkCache.delete(this.chunkCache.keys().next().value as number);
    this.chunkCache.set(c.vstart, r.bytes);
    return r.bytes;
  }

  comm(pid: number): string {
    if (pid === 0) return '<idle>';
    return this.cmdlines.get(pid) ?? '<...>';
  }

  /**
   * The function containing `addr`: name, offset into it, and its size (distance to the next
   * symbol, as the kernel's %pS computes it), or null without kallsyms or below the first symbol.
   */
  symbol(addr: bigint): { name: string; offset: bigint; size: bigint | null; module: string | null } | null {
    const syms = this.symbols();
    let lo = 0;
    let hi = syms.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((syms[mid] as Sym).addr <= addr) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best < 0) return null;
    // Several names for one address (`__do_softirq`, `__softirqentry_text_start`): the first in
    // the file, as the kernel's kallsyms lookup and libtraceevent choose.
    while (best > 0 && (syms[best - 1] as Sym).addr === (syms[best] as Sym).addr) best--;
    const s = syms[best] as Sym;
    let next: Sym | undefined;
    for (let k = best + 1; k < syms.length; k++) {
      if ((syms[k] as Sym).addr > s.addr) {
        next = syms[k];
        break;
      }
    }
    // The last symbol has no known end: like libtraceevent, it covers its own address only.
    if (!next && addr !== s.addr) return null;
    return { name: s.name, offset: addr - s.addr, size: next ? next.addr - s.addr : null, module: s.module };
  }

  /** Exact symbol for an address (function pointers printed with %ps), or null. */
  private symbols(): Sym[] {
    if (this.syms) return this.syms;
    const syms: Sym[] = [];
    const text = this.kallsymsText ? new TextDecoder('latin1').decode(this.kallsymsText) : '';
    for (const line of text.split('\n')) {
      // "ffffffff81000000 T _stext" or "ffffffffc0a01000 t veth_xmit	[veth]"
      const m = /^([0-9a-fA-F]+)\s+\S+\s+(\S+)(?:\s+\[([^\]]+)\])?/.exec(line);
      if (!m) continue;
      const addr = BigInt(`0x${m[1] as string}`);
      if (addr === 0n) continue;
      syms.push({ addr, name: m[2] as string, module: m[3] ?? null });
    }
    syms.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
    this.syms = syms;
    return syms;
  }
}

/** saved_cmdlines: "<pid> <comm>" per line. */
export function parseCmdlines(text: string, into: Map<number, string>): void {
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s(.*)$/.exec(line);
    if (m) into.set(Number(m[1]), m[2] as string);
  }
}

/** printk_formats: `0xffffffff81e5c0a8 : "format text\n"` per line. */
export function parsePrintkFormats(text: string, into: Map<bigint, string>): void {
  for (const line of text.split('\n')) {
    const m = /^\s*0x([0-9a-fA-F]+)\s*:\s*"(.*)"\s*$/.exec(line);
    if (!m) continue;
    into.set(BigInt(`0x${m[1] as string}`), unescapeC(m[2] as string));
  }
}

