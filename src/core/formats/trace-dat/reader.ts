/**
 * Reader for trace-cmd's binary trace.dat, file versions 6 and 7.
 *
 * Spec: trace-cmd.dat.v6(5) and trace-cmd.dat.v7(5) (rostedt/trace-cmd,
 * Documentation/trace-cmd/trace-cmd.dat.v6.5.txt and trace-cmd.dat.v7.5.txt); the ring-buffer
 * page and event headers as the file's own header_page / header_event describe them
 * (kernel/trace/ring_buffer.c); the tracefs event `format` files the file embeds
 * (Documentation/trace/events.rst). Where trace-cmd 3.x writes something the man pages do not
 * say (8-byte section sizes, the page size in v7 BUFFER options, the trace clock after the v6
 * CPU offsets), this reader follows the files, and says so where it does.
 *
 * Push-based: bytes arrive in order, in chunks of any size. Version 6 is sequential: metadata,
 * then the CPU offsets, then each CPU's pages. Version 7 is a sequence of sections
 * (trace-cmd writes them back to back) whose meaning comes from options that may come
 * *after* them: in every file trace-cmd writes, the BUFFER option that says where each
 * CPU's data starts follows the data. So a buffer section whose option has not been seen yet
 * is kept (as copied chunks, never allocated from a declared size) until it is, then parsed.
 * Metadata sections are read whole, within fixed limits; compressed blocks are inflated into
 * buffers of their declared size only after that size is checked. Nothing is allocated from
 * an untrusted length before the bytes behind it have arrived.
 *
 * Model: each record becomes one event: tsNs (the ring buffer's clock, merged across CPUs in
 * time order), cpu, pid (common_pid), comm (saved command lines; `<idle>` for pid 0, `<...>`
 * when unknown, as trace-cmd prints), event name, flags (common_flags + common_preempt_count
 * rendered like the kernel's irq-info column, e.g. `d..2.`). Missed-events marks on a page
 * become `trace.lost` records before the page's first event. `line` is 0: there are no lines.
 *
 * Payload text and fields: a record's bytes stay in the file (or in its compressed chunk)
 * and are decoded on demand. The format registry's `decode` gives the fields (every field by
 * its declared type, as `trace-cmd report -R` prints them) and, for kernel_stack, the frames.
 * For `Trace.payloadText` / `recordText`, which read text bytes from the trace's ByteSource,
 * the trace gets a small adapter source: event records live at `2 * address` in a virtual
 * text space (record at even offsets, payload at +1), and reading there renders the record's
 * `print fmt` on the spot (print.ts). The real file stays behind the adapter.
 */
import type { ByteSource } from '../../trace/byte-source';
import { TraceBuilder, newEventRecord, type Trace } from '../../trace/trace';
import { absNs, relNs } from '../../trace/time';
import type { TraceReader } from '../reader';
import type { DecodedPayload } from '../decoded';
import { Endian, GrowBuf, concatBytes, ascii } from './bytes';
import { codecOf, inflate, type Codec } from './compress';
import { DatContext, VIRTUAL_BASE, parseCmdlines, parsePrintkFormats } from './context';
import { DEFAULT_COMMON, DEFAULT_EVENT_HEADER, commonLayoutOf, parseEventFormat, defaultPageHeader, sameLayout, type CommonLayout, type EventFormat } from './event-format';
import { Cursor, MAX_FORMAT_FILE, parseEventSystems, parseFtraceEvents, parseHeaderInfo, parseSizedText, type MetaIssue } from './meta';
import { rawFields, renderEvent, stackFrames } from './print';
import { CpuEvents, mergeByTime, parsePage, type RingIssue, type RingLayout, type TimeBase } from './ring';
import { SECTION, SECTION_FLAG_COMPRESSED, emptyOptions, parseInitialHeader, parseOptions, parseSectionHeader, type BufferOption, type DatOptions, type InitialHeader, type SectionHeader } from './sections';

/** Limits on blocks read whole; larger ones are reported and skipped. */
const MAX_META_SECTION = 256 * 1024 * 1024;
const MAX_OPTIONS = 16 * 1024 * 1024;
/** Largest decompressed chunk of ring-buffer data (trace-cmd writes a few pages per chunk). */
const MAX_CHUNK = 64 * 1024 * 1024;
/**
 * A compressed block may claim at most this many times its compressed size (with a 1 MiB
 * floor): the output buffer is allocated from the claim, so the claim must stay proportional
 * to bytes that actually arrived. Real trace-cmd blocks stay far below (kallsyms ~5x, formats
 * ~15x, mostly empty ring-buffer pages a few hundred x).
 */
const MAX_RATIO = 4096;
export function claimBelievable(csize: number, usize: number, limit: number): boolean {
  return usize <= limit && usize <= Math.max(1 << 20, csize * MAX_RATIO);
}
const MAX_CLOCK = 4096;

type Sink = (b: Uint8Array, at: number, len: number, fileOffset: number) => void;
type Req =
  | { readonly k: 'read'; readonly n: number; readonly what: string; readonly eofOk?: boolean }
  | { readonly k: 'skip'; readonly n: number; readonly what: string }
  | { readonly k: 'stream'; readonly n: number; readonly what: string; readonly sink: Sink };
type Body = Generator<Req, void, Uint8Array>;

const EMPTY = new Uint8Array(0);

/** Contexts of the traces this reader made, for on-demand decoding. */
const contexts = new WeakMap<Trace, DatContext>();

/** Receives one CPU's data bytes in order. */
interface CpuStream {
  feed(b: Uint8Array, at: number, len: number, fileOffset: number): void;
  /** End of input; `eof` is the number of bytes the file had. */
  end(eof: number): void;
}

export class TraceDatReader implements TraceReader {
  private readonly b = new TraceBuilder('trace-cmd-dat');
  private gen: Body;
  private cur: Req | null = null;
  private acc: GrowBuf | null = null;
  private accLen = 0;
  private reqStart = 0;
  private pos = 0;
  private done = false;
  private trailing = 0;

  private header: InitialHeader | null = null;
  private endian = new Endian(true);
  private ctx: DatContext | null = null;
  private readonly options: DatOptions = emptyOptions();
  private layout: RingLayout | null = null;
  private commonFromFormats: CommonLayout | null = null;
  private dataBeforeFormats = false;
  private readonly time: TimeBase = { base: null };
  private readonly cpus: CpuEvents[] = [];
  private readonly streams: CpuStream[] = [];
  private readonly ringIssues: RingIssue[] = [];
  private nextVirtual = VIRTUAL_BASE;
  private codec: Codec | null = null;
  /** v7 sections seen in the scan, by offset. */
  private readonly sections = new Map<number, SectionHeader>();
  /** v7 buffer sections read before their BUFFER option: their bytes, kept until it comes. */
  private readonly pending = new Map<number, { sh: SectionHeader; start: number; bytes: GrowBuf }>();
  private readonly activated = new Set<number>();

  constructor() {
    this.gen = this.body();
    this.advance(EMPTY);
  }

  push(chunk: Uint8Array): void {
    let i = 0;
    try {
      while (i < chunk.length && !this.done && this.cur) {
        const r = this.cur;
        const take = Math.min(r.n - this.accLen, chunk.length - i);
        if (r.k === 'read') (this.acc ??= new GrowBuf(r.n)).append(chunk, i, take);
        else if (r.k === 'stream') r.sink(chunk, i, take, this.pos);
        this.accLen += take;
        i += take;
        this.pos += take;
        if (this.accLen === r.n) this.advance(r.k === 'read' && this.acc ? this.acc.take() : EMPTY);
      }
    } catch (err) {
      this.fail(err);
    }
    if (i < chunk.length) {
      this.trailing += chunk.length - i;
      this.pos += chunk.length - i;
    }
  }

  stop(message: string): void {
    this.issue(this.pos, message);
    this.done = true;
    this.cur = null;
  }

  finish(source: ByteSource | null): Trace {
    try {
      this.endOfInput();
      this.build();
    } catch (err) {
      this.fail(err);
    }
    this.b.bytesRead = this.pos;
    const ctx = this.ctx;
    if (ctx) ctx.source = source;
    const trace = this.b.finish(ctx && source ? new DatTextSource(ctx, source) : source);
    if (ctx) contexts.set(trace, ctx);
    return trace;
  }

  // ---- driver ---------------------------------------------------------------------------

  private advance(value: Uint8Array): void {
    for (;;) {
      this.acc = null;
      this.accLen = 0;
      let it: IteratorResult<Req, void>;
      try {
        it = this.gen.next(value);
      } catch (err) {
        this.fail(err);
        return;
      }
      if (it.done) {
        this.done = true;
        this.cur = null;
        return;
      }
      this.cur = it.value;
      this.reqStart = this.pos;
      if (it.value.n > 0) return;
      value = EMPTY;
    }
  }

  private fail(err: unknown): void {
    this.issue(this.pos, `internal error while reading (please report): ${err instanceof Error ? err.message : String(err)}`);
    this.done = true;
    this.cur = null;
  }

  private issue(offset: number, message: string): void {
    this.b.issue(0, offset, message);
  }

  private endOfInput(): void {
    const r = this.cur;
    if (r && !this.done && !(r.k === 'read' && r.eofOk && this.accLen === 0)) {
      if (r.k === 'stream') {
        // Data streams report their own shortfall (per CPU) below.
      } else this.issue(this.reqStart, `the file ends at offset ${this.pos}, inside ${r.what} (${r.n} bytes expected from offset ${this.reqStart}, ${this.accLen} present)`);
    }
    for (const s of this.streams) s.end(this.pos);
    for (const ri of this.ringIssues) this.issue(ri.offset, ri.message);
    if (this.trailing > 0 && this.header && this.header.version < 7) {
      // v6 data runs to the end of the file; trailing bytes after the last CPU region are padding.
    }
    for (const [off, p] of this.pending) this.issue(off, `buffer section at offset ${off} (${p.sh.size} bytes) is not described by any BUFFER option: its CPUs are unknown, so its events are not read`);
    for (const [id, ref] of this.options.sections) {
      if (!this.sections.has(ref.target) && this.header && this.header.version >= 7) this.issue(Math.min(ref.at, this.pos), `the option at offset ${ref.at} points to section ${id} at offset ${ref.target}, but no section starts there in the file as read`);
    }
    if (this.dataBeforeFormats && this.commonFromFormats && !sameLayout(this.commonFromFormats, DEFAULT_COMMON)) {
      this.issue(0, 'the ring-buffer data came before the event formats and the common fields are not at their usual offsets: pids, flags and event types may be wrong');
    }
  }

  // ---- file structure ---------------------------------------------------------------------

  private *body(): Body {
    let head: Uint8Array = yield { k: 'read', n: 18, what: 'the initial header' };
    let h = parseInitialHeader(head, (l) => new Endian(l));
    while (h.kind === 'need-more' && head.length < 512) {
      const more: Uint8Array = yield { k: 'read', n: 1, what: 'the initial header' };
      head = concatBytes([head, more]);
      h = parseInitialHeader(head, (l) => new Endian(l));
    }
    if (h.kind !== 'ok') {
      this.issue(h.kind === 'error' ? h.offset : 0, h.kind === 'error' ? h.message : 'initial header too long');
      return;
    }
    const hdr = h.header;
    this.header = hdr;
    this.endian = new Endian(hdr.littleEndian);
    // Kernel long size: from header_page when it comes; the user-space long until then.
    this.ctx = new DatContext(this.endian, hdr.longSize, hdr.longSize, DEFAULT_COMMON);
    this.layout = { endian: this.endian, page: defaultPageHeader(hdr.longSize), event: DEFAULT_EVENT_HEADER, common: DEFAULT_COMMON };
    if (hdr.version >= 7) {
      const comp = hdr.compression;
      if (comp && comp.name !== 'none') {
        this.codec = codecOf(comp.name);
        if (!this.codec) this.issue(10, `compression "${comp.name}" is not supported (zstd and zlib are); compressed sections are skipped`);
        this.ctx.codec = this.codec;
      }
      yield* this.v7();
    } else yield* this.v6(hdr);
  }

  private cursor(b: Uint8Array, base: number, exact: boolean): Cursor {
    return new Cursor(b, base, this.endian, exact);
  }

  private metaIssues(list: MetaIssue[]): void {
    for (const m of list) this.issue(m.offset, m.message);
  }

  private addFormats(list: EventFormat[]): void {
    const ctx = this.ctx as DatContext;
    for (const f of list) {
      if (ctx.formats.has(f.id)) {
        const old = ctx.formats.get(f.id) as EventFormat;
        if (old.name !== f.name) this.issue(0, `event id ${f.id} is declared twice (${old.system}:${old.name} and ${f.system}:${f.name}); keeping the first`);
        continue;
      }
      ctx.formats.set(f.id, f);
      if (!this.commonFromFormats) {
        const c = commonLayoutOf(f);
        if (c) {
          this.commonFromFormats = c;
          ctx.common = c;
          if (this.layout && this.cpus.length === 0) this.layout.common = c;
        }
      }
    }
  }

  private headerInfo(c: Cursor): void {
    const issues: MetaIssue[] = [];
    const info = parseHeaderInfo(c, issues);
    this.metaIssues(issues);
    const layout = this.layout as RingLayout;
    if (info.page) {
      layout.page = info.page;
      (this.ctx as DatContext).kernelLong = info.page.commitSize;
    }
    if (info.event) layout.event = info.event;
  }

  // ---- version 6 ------------------------------------------------------------------------

  private *readSized(sizeBytes: 4 | 8, what: string, limit: number): Generator<Req, Uint8Array | null, Uint8Array> {
    const at = this.pos;
    const sb: Uint8Array = yield { k: 'read', n: sizeBytes, what: `the size of ${what}` };
    const size = sizeBytes === 4 ? this.endian.u32(sb, 0) : this.endian.u64(sb, 0);
    if (size > limit) {
      this.issue(at, `${what}: size ${size} is over the ${limit}-byte limit; the rest of the file cannot be located`);
      return null;
    }
    return yield { k: 'read', n: size, what };
  }

  private *expectTag(tag: string): Generator<Req, boolean, Uint8Array> {
    const at = this.pos;
    const got: Uint8Array = yield { k: 'read', n: tag.length + 1, what: `"${tag}"` };
    if (ascii(got, 0, got.length) !== `${tag}\0`) {
      this.issue(at, `expected "${tag}\\0", found "${ascii(got, 0, got.length).replace(/\0/g, '\\0')}"`);
      return false;
    }
    return true;
  }

  private *v6(hdr: InitialHeader): Body {
    const e = this.endian;
    // Header info: "header_page\0" u64 size text, "header_event\0" u64 size text.
    const infoParts: Uint8Array[] = [];
    for (const tag of ['header_page', 'header_event']) {
      const tb: Uint8Array = yield { k: 'read', n: tag.length + 1, what: `"${tag}"` };
      const text = yield* this.readSized(8, tag, 1 << 20);
      if (text === null) return;
      const sz = new Uint8Array(8);
      new DataView(sz.buffer).setBigUint64(0, BigInt(text.length), e.little);
      infoParts.push(tb, sz, text);
    }
    this.headerInfo(this.cursor(concatBytes(infoParts), hdr.length, true));

    // Ftrace event formats, then the event systems.
    const formats: EventFormat[] = [];
    const cb: Uint8Array = yield { k: 'read', n: 4, what: 'the ftrace event count' };
    for (let k = 0, n = e.u32(cb, 0); k < n; k++) {
      if (!(yield* this.v6Format('ftrace', formats))) return;
    }
    const sb: Uint8Array = yield { k: 'read', n: 4, what: 'the event system count' };
    for (let s = 0, systems = e.u32(sb, 0); s < systems; s++) {
      const name = yield* this.readCString('an event system name', 1024);
      if (name === null) return;
      const nb: Uint8Array = yield { k: 'read', n: 4, what: `the event count of system ${name}` };
      for (let k = 0, n = e.u32(nb, 0); k < n; k++) {
        if (!(yield* this.v6Format(name, formats))) return;
      }
    }
    this.addFormats(formats);

    const ctx = this.ctx as DatContext;
    const kallsyms = yield* this.readSized(4, 'kallsyms', MAX_META_SECTION);
    if (kallsyms === null) return;
    ctx.kallsymsText = kallsyms;
    const printk = yield* this.readSized(4, 'the printk formats', MAX_META_SECTION);
    if (printk === null) return;
    parsePrintkFormats(new TextDecoder('latin1').decode(printk), ctx.printk);
    const cmdlines = yield* this.readSized(8, 'the saved command lines', MAX_META_SECTION);
    if (cmdlines === null) return;
    parseCmdlines(new TextDecoder('utf-8').decode(cmdlines), ctx.cmdlines);

    const cpusB: Uint8Array = yield { k: 'read', n: 4, what: 'the CPU count' };
    const cpuCount = e.u32(cpusB, 0);
    if (cpuCount > 8192) {
      this.issue(this.pos - 4, `CPU count ${cpuCount} is not believable`);
      return;
    }
    let tagAt = this.pos;
    let tag = ascii((yield { k: 'read', n: 10, what: 'the data kind ("options", "latency" or "flyrecord")' }) as Uint8Array, 0, 10);
    if (tag === 'options  \0') {
      const parts: Uint8Array[] = [];
      let total = 0;
      const optAt = this.pos;
      for (;;) {
        const idb: Uint8Array = yield { k: 'read', n: 2, what: 'an option id' };
        parts.push(idb);
        if (e.u16(idb, 0) === 0) break;
        const szb: Uint8Array = yield { k: 'read', n: 4, what: 'an option size' };
        const size = e.u32(szb, 0);
        total += size;
        if (total > MAX_OPTIONS) {
          this.issue(this.pos - 6, `options exceed ${MAX_OPTIONS} bytes; the rest of the file cannot be located`);
          return;
        }
        parts.push(szb, (yield { k: 'read', n: size, what: `option ${e.u16(idb, 0)}` }) as Uint8Array);
      }
      const r = parseOptions(concatBytes(parts), optAt, 6, e, hdr.longSize, this.options);
      for (const x of r.issues) this.issue(x.at, x.message);
      tagAt = this.pos;
      tag = ascii((yield { k: 'read', n: 10, what: 'the data kind ("latency" or "flyrecord")' }) as Uint8Array, 0, 10);
    }
    this.options.cpuCount ??= cpuCount;
    if (tag === 'latency  \0') {
      this.issue(tagAt, 'latency trace data (text from a latency tracer) is not decoded; open it with `trace-cmd report`');
      return;
    }
    if (tag !== 'flyrecord\0') {
      this.issue(tagAt, `expected "flyrecord\\0", "latency  \\0" or "options  \\0", found "${tag.replace(/\0/g, '\\0')}"`);
      return;
    }
    const regions: { start: number; end: number; stream: CpuStream }[] = [];
    const top = yield* this.v6CpuList(cpuCount, '');
    if (top === null) return;
    this.activate(top, false, regions, null);
    // Instance buffers: each BUFFER option points at another "flyrecord\0" + CPU list.
    const instances = this.options.buffers.filter((x) => !x.text).sort((a, b) => a.sectionOffset - b.sectionOffset);
    for (const inst of instances) {
      if (inst.sectionOffset < this.pos) {
        this.issue(this.pos, `buffer "${inst.name}" at offset ${inst.sectionOffset} lies before the data read so far; skipped`);
        continue;
      }
      yield { k: 'skip', n: inst.sectionOffset - this.pos, what: `the gap before buffer "${inst.name}"` };
      if (!(yield* this.expectTag('flyrecord'))) return;
      const list = yield* this.v6CpuList(cpuCount, inst.name);
      if (list === null) return;
      this.activate(list, false, regions, null);
    }
    regions.sort((a, b) => a.start - b.start);
    let end = this.pos;
    for (const r of regions) end = Math.max(end, r.end);
    yield { k: 'stream', n: end - this.pos, what: 'the CPU data', sink: router(regions) };
  }

  private *v6Format(system: string, into: EventFormat[]): Generator<Req, boolean, Uint8Array> {
    const at = this.pos;
    const text = yield* this.readSized(8, `a ${system} event format`, MAX_FORMAT_FILE);
    if (text === null) return false;
    const f = parseEventFormat(system, new TextDecoder('latin1').decode(text));
    if (f.ok) into.push(f.format);
    else this.issue(at, f.message);
    return true;
  }

  private *readCString(what: string, max: number): Generator<Req, string | null, Uint8Array> {
    const at = this.pos;
    const bytes: number[] = [];
    for (;;) {
      const c: Uint8Array = yield { k: 'read', n: 1, what };
      if (c[0] === 0) break;
      bytes.push(c[0] as number);
      if (bytes.length > max) {
        this.issue(at, `${what} is longer than ${max} bytes (no NUL)`);
        return null;
      }
    }
    return new TextDecoder('utf-8').decode(new Uint8Array(bytes));
  }

  private *v6CpuList(cpuCount: number, name: string): Generator<Req, BufferOption | null, Uint8Array> {
    const list: Uint8Array = yield { k: 'read', n: cpuCount * 16, what: `the CPU data offsets of buffer "${name}"` };
    const cpus = [];
    for (let k = 0; k < cpuCount; k++) cpus.push({ cpu: k, offset: this.endian.u64(list, k * 16), size: this.endian.u64(list, k * 16 + 8) });
    let clock: string | null = null;
    if (this.options.traceClock !== null || cpuCount > 0) {
      // trace-cmd writes the trace clock here (u64 size, text) when it saved a TRACECLOCK
      // option; the man page does not mention it. Read it only when it is plainly there.
      if (this.options.traceClock !== null) {
        const text = yield* this.readSized(8, 'the trace clock', MAX_CLOCK);
        if (text === null) return null;
        const m = /\[([^\]]+)\]/.exec(new TextDecoder('latin1').decode(text));
        clock = m ? (m[1] as string) : null;
      }
    }
    return { sectionOffset: 0, name, clock, pageSize: null, cpus, text: false };
  }

  // ---- version 7 ------------------------------------------------------------------------

  private *v7(): Body {
    const hdr = this.header as InitialHeader;
    for (;;) {
      const hb: Uint8Array = yield { k: 'read', n: 16, what: 'a section header', eofOk: true };
      const sh = parseSectionHeader(hb, 0, this.pos - 16, this.endian);
      const known = Object.values(SECTION) as number[];
      if (!known.includes(sh.id) || sh.flags & ~SECTION_FLAG_COMPRESSED) {
        this.issue(sh.offset, `expected a section header at offset ${sh.offset}, found id ${sh.id}, flags 0x${sh.flags.toString(16)}, size ${sh.size}; the sections after it cannot be found`);
        return;
      }
      this.sections.set(sh.offset, sh);
      if (sh.offset === hdr.firstOptions && sh.id !== SECTION.OPTIONS) this.issue(sh.offset, `the header says the first options section is at offset ${sh.offset}, but section ${sh.id} is there`);
      if (sh.id === SECTION.BUFFER) {
        yield* this.bufferSection(sh);
        continue;
      }
      if (sh.id === SECTION.BUFFER_TEXT) {
        this.issue(sh.offset, 'latency trace data (text from a latency tracer) is not decoded; open it with `trace-cmd report`');
        yield { k: 'skip', n: sh.size, what: 'a latency text section' };
        continue;
      }
      const limit = sh.id === SECTION.OPTIONS ? MAX_OPTIONS : MAX_META_SECTION;
      if (sh.size > limit) {
        this.issue(sh.offset, `section ${sh.id} is ${sh.size} bytes, over the ${limit}-byte limit; skipped`);
        yield { k: 'skip', n: sh.size, what: `section ${sh.id}` };
        continue;
      }
      let content: Uint8Array = yield { k: 'read', n: sh.size, what: `section ${sh.id} (${sectionName(sh.id)})` };
      let exact = true;
      if (sh.flags & SECTION_FLAG_COMPRESSED) {
        const inflated = this.inflateSection(sh, content, limit);
        if (!inflated) continue;
        content = inflated;
        exact = false;
      }
      this.metaSection(sh, this.cursor(content, sh.offset + 16, exact));
    }
  }

  private inflateSection(sh: SectionHeader, content: Uint8Array, limit: number): Uint8Array | null {
    if (!this.codec) {
      this.issue(sh.offset, `section ${sh.id} is compressed and the file's compression is not supported; skipped`);
      return null;
    }
    if (content.length < 8) {
      this.issue(sh.offset, `compressed section ${sh.id} is shorter than its 8-byte compression header`);
      return null;
    }
    const csize = this.endian.u32(content, 0);
    const usize = this.endian.u32(content, 4);
    if (csize > content.length - 8 || !claimBelievable(csize, usize, limit)) {
      this.issue(sh.offset, `compressed section ${sh.id}: ${csize} compressed / ${usize} uncompressed bytes do not fit its ${sh.size}-byte section, or claim more than the limits (${limit} bytes, ${MAX_RATIO}x)`);
      return null;
    }
    const r = inflate(this.codec, content.subarray(8, 8 + csize), usize);
    if (!r.ok) {
      this.issue(sh.offset + 24, `section ${sh.id} (${sectionName(sh.id)}): ${r.error}`);
      return null;
    }
    return r.bytes;
  }

  private metaSection(sh: SectionHeader, c: Cursor): void {
    const ctx = this.ctx as DatContext;
    const issues: MetaIssue[] = [];
    switch (sh.id) {
      case SECTION.OPTIONS: {
        const r = parseOptions(c.b, c.base, 7, this.endian, ctx.longSize, this.options);
        for (const x of r.issues) this.issue(x.at, x.message);
        this.resolvePending();
        break;
      }
      case SECTION.HEADER_INFO:
        this.headerInfo(c);
        break;
      case SECTION.FTRACE_EVENTS: {
        const formats: EventFormat[] = [];
        parseFtraceEvents(c, formats, issues);
        this.addFormats(formats);
        break;
      }
      case SECTION.EVENT_FORMATS: {
        const formats: EventFormat[] = [];
        parseEventSystems(c, formats, issues);
        this.addFormats(formats);
        break;
      }
      case SECTION.KALLSYMS:
        ctx.kallsymsText = parseSizedText(c, 4, 'kallsyms', issues);
        break;
      case SECTION.PRINTK: {
        const t = parseSizedText(c, 4, 'printk formats', issues);
        if (t) parsePrintkFormats(new TextDecoder('latin1').decode(t), ctx.printk);
        break;
      }
      case SECTION.CMDLINES: {
        const t = parseSizedText(c, 8, 'saved command lines', issues);
        if (t) parseCmdlines(new TextDecoder('utf-8').decode(t), ctx.cmdlines);
        break;
      }
      default:
        break;
    }
    this.metaIssues(issues);
  }

  private *bufferSection(sh: SectionHeader): Body {
    const opt = this.options.buffers.find((x) => !x.text && x.sectionOffset === sh.offset);
    const compressed = (sh.flags & SECTION_FLAG_COMPRESSED) !== 0;
    if (opt) {
      const regions: { start: number; end: number; stream: CpuStream }[] = [];
      this.activate(opt, compressed, regions, sh);
      yield { k: 'stream', n: sh.size, what: `buffer section "${opt.name}"`, sink: router(regions) };
      return;
    }
    const p = { sh, start: this.pos, bytes: new GrowBuf(sh.size) };
    this.pending.set(sh.offset, p);
    yield { k: 'stream', n: sh.size, what: 'a buffer section', sink: (b, at, len) => p.bytes.append(b, at, len) };
  }

  /** Buffer sections whose BUFFER option has just been read: parse their kept bytes now. */
  private resolvePending(): void {
    for (const opt of this.options.buffers) {
      if (opt.text) continue;
      const p = this.pending.get(opt.sectionOffset);
      if (!p) continue;
      this.pending.delete(opt.sectionOffset);
      const regions: { start: number; end: number; stream: CpuStream }[] = [];
      this.activate(opt, (p.sh.flags & SECTION_FLAG_COMPRESSED) !== 0, regions, p.sh);
      const bytes = p.bytes.take();
      router(regions)(bytes, 0, bytes.length, p.start);
    }
  }

  /** Sets up per-CPU streams for a buffer's CPU regions. */
  private activate(opt: BufferOption, compressed: boolean, regions: { start: number; end: number; stream: CpuStream }[], sh: SectionHeader | null): void {
    const key = sh ? sh.offset : -1 - this.activated.size;
    if (this.activated.has(key)) return;
    this.activated.add(key);
    const hdr = this.header as InitialHeader;
    const pageSize = opt.pageSize ?? hdr.pageSize;
    if (this.ctx && this.ctx.formats.size === 0) this.dataBeforeFormats = true;
    const L = this.layout as RingLayout;
    if (this.commonFromFormats) L.common = this.commonFromFormats;
    for (const c of opt.cpus) {
      if (c.size === 0) continue;
      if (sh && (c.offset < sh.offset + 16 || c.offset + c.size + (compressed ? 4 : 0) > sh.offset + 16 + sh.size)) {
        this.issue(sh.offset, `buffer "${opt.name}": CPU ${c.cpu} data (${c.size} bytes at offset ${c.offset}) lies outside its section (offset ${sh.offset}, ${sh.size} bytes); skipped`);
        continue;
      }
      if (!sh && c.offset < this.pos) {
        this.issue(this.pos, `buffer "${opt.name}": CPU ${c.cpu} data at offset ${c.offset} lies before the end of the header; skipped`);
        continue;
      }
      const ev = new CpuEvents(c.cpu, this.cpus.length);
      const size = c.size + (compressed ? 4 : 0);
      this.cpus.push(ev);
      const stream = compressed ? this.compressedStream(ev, c.offset, size, pageSize) : new RawStream(ev, c.offset, size, pageSize, L, this.time, this.ringIssues);
      this.streams.push(stream);
      // trace-cmd's recorded size of compressed CPU data leaves out the leading u32 chunk count.
      regions.push({ start: c.offset, end: c.offset + c.size + (compressed ? 4 : 0), stream });
    }
    if (opt.clock) this.options.traceClock ??= opt.clock;
  }

  private compressedStream(ev: CpuEvents, start: number, size: number, pageSize: number): CpuStream {
    const codec = this.codec;
    const ctx = this.ctx as DatContext;
    return new ChunkStream(ev, start, size, pageSize, this.layout as RingLayout, this.time, this.ringIssues, (usize) => {
      const v = this.nextVirtual;
      this.nextVirtual += usize;
      return v;
    }, codec, (ref) => ctx.chunks.push(ref));
  }

  // ---- building the trace -----------------------------------------------------------------

  private build(): void {
    const ctx = this.ctx;
    const b = this.b;
    b.meta.onlineCpus = this.options.cpuCount;
    const clock = this.options.traceClock;
    if (clock === 'counter' || (clock === 'x86-tsc' && !this.options.tsc2nsec)) b.meta.timeSource = 'counter';
    if (!ctx || this.time.base === null) return;
    const total = this.cpus.reduce((s, c) => s + c.count, 0);
    if (total === 0) return;
    // Origin: the earliest event (heads of the per-CPU streams), plus the file's time offsets.
    let first = Infinity;
    for (const c of this.cpus) if (c.count > 0) first = Math.min(first, c.tsAt(0));
    const tsc = clock === 'x86-tsc' ? this.options.tsc2nsec : null;
    const scale = tsc ? tsc.mult / 2 ** tsc.shift : 1;
    const originTicks = this.time.base + BigInt(first);
    let origin = tsc ? ((originTicks * BigInt(tsc.mult)) >> BigInt(tsc.shift)) + tsc.offset : originTicks;
    origin += this.options.tsOffset + (this.options.dateOffset ?? 0n);
    b.originNs = absNs(origin);
    for (const c of this.cpus) if (c.backwards > 0) this.issue(0, `CPU ${c.cpu}: time goes backwards ${c.backwards} times within its buffer; events are merged as they come`);

    const strings = b.strings;
    const eventIds = new Map<number, number>();
    const unknownTypes = new Set<number>();
    const flagIds = new Int32Array(65536).fill(-1);
    const commIds = new Map<number, number>();
    const lostPos = new Array<number>(this.cpus.length).fill(0);
    let n = 0;
    // Fields the same for every record of a trace.dat: no tgid, no line, a 2-byte stand-in record.
    const r = newEventRecord();
    r.tgid = -1;
    r.line = 0;
    r.recLength = 2;
    r.payloadStart = 1;
    mergeByTime(this.cpus, (c, i) => {
      const lost = c.lost;
      let lp = lostPos[c.order] as number;
      while (lp < lost.length && (lost[lp] as { index: number }).index <= i) {
        const l = lost[lp] as { index: number; count: number | null };
        b.lost.push({ cpu: c.cpu, count: l.count, line: 0, beforeEvent: n });
        lp++;
      }
      lostPos[c.order] = lp;
      const info = c.infoAt(i);
      const type = info & 0xffff;
      let ev = eventIds.get(type);
      if (ev === undefined) {
        const f = ctx.formats.get(type);
        if (!f) unknownTypes.add(type);
        ev = strings.intern(f ? f.name : `unknown_event_${type}`);
        eventIds.set(type, ev);
      }
      const fp = info >>> 16;
      let fl = flagIds[fp] as number;
      if (fl < 0) {
        fl = strings.intern(irqInfo(fp & 0xff, fp >>> 8));
        flagIds[fp] = fl;
      }
      const pid = c.pidAt(i);
      let comm = commIds.get(pid);
      if (comm === undefined) {
        comm = strings.intern(ctx.comm(pid));
        commIds.set(pid, comm);
      }
      const addr = c.addrAt(i);
      // Since the first event, in ns (x86-tsc ticks scaled by the file's tsc2nsec).
      r.tsNs = relNs((c.tsAt(i) - first) * scale);
      r.cpu = c.cpu;
      r.pid = pid;
      r.commId = comm;
      r.eventId = ev;
      r.flagsId = fl;
      // The record is read back by address (VIRTUAL_BASE-relative for compressed chunks).
      r.recOffset = addr * 2;
      b.push(r);
      n++;
    });
    for (const c of this.cpus) {
      for (let lp = lostPos[c.order] as number; lp < c.lost.length; lp++) b.lost.push({ cpu: c.cpu, count: (c.lost[lp] as { count: number | null }).count, line: 0, beforeEvent: n });
    }
    b.lost.sort((x, y) => x.beforeEvent - y.beforeEvent || x.cpu - y.cpu);
    for (const t of unknownTypes) this.issue(0, `records of event type ${t} have no format in the file; shown as unknown_event_${t} without fields`);
  }
}

function sectionName(id: number): string {
  for (const [k, v] of Object.entries(SECTION)) if (v === id) return k.toLowerCase().replace(/_/g, ' ');
  return 'unknown';
}

/** Routes data bytes (by file offset) to the CPU streams whose regions hold them. */
function router(regions: readonly { start: number; end: number; stream: CpuStream }[]): Sink {
  const sorted = [...regions].sort((a, b) => a.start - b.start);
  let k = 0;
  return (b, at, len, off) => {
    const endOff = off + len;
    while (k < sorted.length && (sorted[k] as { end: number }).end <= off) k++;
    for (let j = k; j < sorted.length; j++) {
      const r = sorted[j] as { start: number; end: number; stream: CpuStream };
      if (r.start >= endOff) break;
      const s = Math.max(r.start, off);
      const e = Math.min(r.end, endOff);
      if (e > s) r.stream.feed(b, at + (s - off), e - s, s);
    }
  };
}

/** Uncompressed CPU data: whole pages, parsed straight from the input when they arrive whole. */
class RawStream implements CpuStream {
  private page: Uint8Array | null = null;
  private fill = 0;
  private pageAddr = 0;
  private fed = 0;

  constructor(
    private readonly ev: CpuEvents,
    private readonly start: number,
    private readonly size: number,
    private readonly pageSize: number,
    private readonly L: RingLayout,
    private readonly time: TimeBase,
    private readonly issues: RingIssue[],
  ) {}

  feed(b: Uint8Array, at: number, len: number, off: number): void {
    this.fed += len;
    const ps = this.pageSize;
    while (len > 0) {
      if (this.fill === 0 && len >= ps) {
        parsePage(b, at, ps, off, this.L, this.time, this.ev, this.issues, { fileOffset: off, inChunk: null });
        at += ps;
        off += ps;
        len -= ps;
        continue;
      }
      if (this.fill === 0) this.pageAddr = off;
      this.page ??= new Uint8Array(ps);
      const take = Math.min(ps - this.fill, len);
      this.page.set(b.subarray(at, at + take), this.fill);
      this.fill += take;
      at += take;
      off += take;
      len -= take;
      if (this.fill === ps) {
        parsePage(this.page, 0, ps, this.pageAddr, this.L, this.time, this.ev, this.issues, { fileOffset: this.pageAddr, inChunk: null });
        this.fill = 0;
      }
    }
  }

  end(eof: number): void {
    if (this.fill > 0 && this.page) parsePage(this.page, 0, this.fill, this.pageAddr, this.L, this.time, this.ev, this.issues, { fileOffset: this.pageAddr, inChunk: null });
    this.fill = 0;
    if (this.fed < this.size) this.issues.push({ offset: Math.min(this.start + this.fed, eof), message: `CPU ${this.ev.cpu}: data cut short: ${this.fed} of ${this.size} bytes present (from offset ${this.start}; the file ends at ${eof})` });
  }
}

/**
 * Compressed CPU data (v7): u32 chunk count, then per chunk u32 compressed size, u32
 * uncompressed size (whole pages), compressed bytes. Each chunk is inflated, its pages parsed,
 * and only its location kept (decoding inflates it again on demand).
 */
class ChunkStream implements CpuStream {
  private state: 'count' | 'head' | 'data' | 'done' = 'count';
  private need = 4;
  private parts: Uint8Array[] = [];
  private got = 0;
  private chunks = 0;
  private csize = 0;
  private usize = 0;
  private dataOff = 0;
  private fed = 0;
  private pos: number;

  constructor(
    private readonly ev: CpuEvents,
    private readonly start: number,
    private readonly size: number,
    private readonly pageSize: number,
    private readonly L: RingLayout,
    private readonly time: TimeBase,
    private readonly issues: RingIssue[],
    private readonly allocate: (usize: number) => number,
    private readonly codec: Codec | null,
    private readonly register: (ref: { vstart: number; usize: number; fileOffset: number; csize: number }) => void,
  ) {
    this.pos = start;
  }

  feed(b: Uint8Array, at: number, len: number, off: number): void {
    this.fed += len;
    while (len > 0 && this.state !== 'done') {
      if (this.got === 0) this.dataOff = off;
      const take = Math.min(this.need - this.got, len);
      this.parts.push(b.slice(at, at + take));
      this.got += take;
      at += take;
      off += take;
      len -= take;
      this.pos = off;
      if (this.got === this.need) this.step(concatBytes(this.parts, this.need));
    }
  }

  private step(bytes: Uint8Array): void {
    const e = this.L.endian;
    const startOff = this.dataOff;
    this.parts = [];
    this.got = 0;
    if (this.state === 'count') {
      this.chunks = e.u32(bytes, 0);
      this.state = this.chunks > 0 ? 'head' : 'done';
      this.need = 8;
      return;
    }
    if (this.state === 'head') {
      this.csize = e.u32(bytes, 0);
      this.usize = e.u32(bytes, 4);
      const left = this.start + this.size - (startOff + 8);
      if (this.csize > left || !claimBelievable(this.csize, this.usize, MAX_CHUNK) || this.usize === 0) {
        this.issues.push({ offset: startOff, message: `CPU ${this.ev.cpu}: compressed chunk of ${this.csize} bytes (${this.usize} uncompressed) does not fit the ${left} bytes left of its data, or claims more than the limits (${MAX_CHUNK} bytes, ${MAX_RATIO}x); the rest of this CPU is skipped` });
        this.state = 'done';
        return;
      }
      this.state = 'data';
      this.need = this.csize;
      if (this.need === 0) this.step(EMPTY);
      return;
    }
    // data
    this.chunks--;
    this.state = this.chunks > 0 ? 'head' : 'done';
    this.need = 8;
    if (!this.codec) return;
    const r = inflate(this.codec, bytes, this.usize);
    if (!r.ok) {
      this.issues.push({ offset: startOff, message: `CPU ${this.ev.cpu}: chunk at offset ${startOff}: ${r.error}; its events are lost` });
      return;
    }
    const vstart = this.allocate(this.usize);
    this.register({ vstart, usize: this.usize, fileOffset: startOff, csize: this.csize });
    const ps = this.pageSize;
    for (let k = 0; k < this.usize; k += ps) parsePage(r.bytes, k, Math.min(ps, this.usize - k), vstart + k, this.L, this.time, this.ev, this.issues, { fileOffset: startOff, inChunk: k });
  }

  end(eof: number): void {
    if (this.state !== 'done') {
      this.issues.push({ offset: Math.min(this.pos, eof), message: `CPU ${this.ev.cpu}: compressed data cut short: ${this.fed} of ${this.size} bytes present (from offset ${this.start}); ${this.chunks} chunk(s) missing` });
    }
    this.state = 'done';
  }
}

/**
 * The kernel's irq-info column (kernel/trace/trace_output.c, trace_print_lat_fmt): irqs-off
 * (`d`, `D` with BH off too, `b` BH off only), need-resched (`N`, `n`, `p`, `L`, `l`, `B`, `b`),
 * hardirq/softirq (`Z`, `z`, `H`, `h`, `s`), preempt depth, migrate-disable depth.
 */
export function irqInfo(flags: number, preempt: number): string {
  // enum trace_flag_type (kernel/trace/trace.h, 6.13+): 0x02 was IRQS_NOSUPPORT before 6.13
  // (never set on x86), 0x80 is BH_OFF since 5.17. Checked against the kernel's own text of
  // the same buffers (test/fixtures/trace-dat/*.kernel.txt.gz).
  const IRQS_OFF = 0x01;
  const NEED_RESCHED_LAZY = 0x02;
  const NEED_RESCHED = 0x04;
  const HARDIRQ = 0x08;
  const SOFTIRQ = 0x10;
  const PREEMPT_RESCHED = 0x20;
  const NMI = 0x40;
  const BH_OFF = 0x80;
  const irqsOff = flags & IRQS_OFF && flags & BH_OFF ? 'D' : flags & IRQS_OFF ? 'd' : flags & BH_OFF ? 'b' : '.';
  let resched: string;
  switch (flags & (NEED_RESCHED | NEED_RESCHED_LAZY | PREEMPT_RESCHED)) {
    case NEED_RESCHED | NEED_RESCHED_LAZY | PREEMPT_RESCHED:
      resched = 'B';
      break;
    case NEED_RESCHED | PREEMPT_RESCHED:
      resched = 'N';
      break;
    case NEED_RESCHED_LAZY | PREEMPT_RESCHED:
      resched = 'L';
      break;
    case NEED_RESCHED | NEED_RESCHED_LAZY:
      resched = 'b';
      break;
    case NEED_RESCHED:
      resched = 'n';
      break;
    case PREEMPT_RESCHED:
      resched = 'p';
      break;
    case NEED_RESCHED_LAZY:
      resched = 'l';
      break;
    default:
      resched = '.';
  }
  const nmi = flags & NMI;
  const hard = flags & HARDIRQ;
  const soft = flags & SOFTIRQ;
  const irq = nmi && hard ? 'Z' : nmi ? 'z' : hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.';
  const depth = preempt & 0xf ? (preempt & 0xf).toString(16) : '.';
  const migrate = preempt & 0xf0 ? (preempt >> 4).toString(16) : '.';
  return `${irqsOff}${resched}${irq}${depth}${migrate}`;
}

/** Reads back a trace.dat event's fields (the registry's decode for this format). */
export function decodeTraceDatEvent(trace: Trace, i: number): DecodedPayload {
  const ctx = contexts.get(trace);
  if (!ctx) return { fields: {} };
  const addr = trace.record(i).offset / 2;
  const data = ctx.payload(addr);
  if (!data) return { fields: {} };
  const type = ctx.common.type.size === 2 ? ctx.endian.u16(data, ctx.common.type.offset) : (data[ctx.common.type.offset] as number);
  const f = ctx.formats.get(type);
  if (!f) return { fields: {} };
  const fields = rawFields(ctx, f, data);
  if (f.system === 'ftrace' && f.name === 'kernel_stack') return { fields, stack: stackFrames(ctx, f, data) };
  return { fields };
}

/** Whether `head` starts like a trace.dat (magic + "tracing" + a version). */
export function sniffTraceDat(head: Uint8Array): string | null {
  const h = parseInitialHeader(head, (l) => new Endian(l));
  if (h.kind === 'ok') return null;
  if (h.kind === 'need-more') return head.length >= 3 && head[0] === 0x17 && head[1] === 0x08 && head[2] === 0x44 ? null : 'too short for a trace-cmd header';
  return h.message;
}

/**
 * The adapter source behind `Trace.recordText` / `payloadText` for this format: offset
 * 2 * address reads the record's text, 2 * address + 1 its payload text (see the top of file).
 */
class DatTextSource implements ByteSource {
  private readonly enc = new TextEncoder();

  constructor(
    private readonly ctx: DatContext,
    private readonly file: ByteSource,
  ) {}

  get size(): number {
    return 2 * Math.max(this.file.size, this.ctx.chunks.length > 0 ? VIRTUAL_BASE * 2 : 0);
  }

  read(offset: number, _length: number): Uint8Array {
    const addr = Math.floor(offset / 2);
    const data = this.ctx.payload(addr);
    if (!data) return this.enc.encode('<record unreadable>');
    const type = this.ctx.common.type.size === 2 ? this.ctx.endian.u16(data, this.ctx.common.type.offset) : (data[this.ctx.common.type.offset] as number);
    const f = this.ctx.formats.get(type);
    const text = f ? renderEvent(this.ctx, f, data) : `unknown event type ${type}`;
    return this.enc.encode(offset % 2 === 1 ? text : `${f ? f.name : `unknown_event_${type}`}: ${text}`);
  }

  close(): void {
    this.file.close();
  }
}
