/**
 * The metadata blocks of a trace.dat, shared by version 6 (read in sequence) and version 7
 * (one section each): header info, ftrace and event format files, kallsyms, printk formats,
 * saved command lines. Layouts from trace-cmd.dat.v6(5) / trace-cmd.dat.v7(5):
 *   header info     "header_page\0" u64 size, text; "header_event\0" u64 size, text
 *   ftrace events   u32 count; count x (u64 size, format file)
 *   event formats   u32 systems; per system: name\0, u32 count; count x (u64 size, format file)
 *   kallsyms        u32 size, text        printk   u32 size, text
 *   cmdlines        u64 size, text
 * Each parser takes the block's bytes and reports problems with file offsets.
 */
import { cString, findNul, type Endian } from './bytes';
import { parseEventFormat, parseEventHeader, parsePageHeader, type EventFormat, type EventHeader, type PageHeader } from './event-format';

export interface MetaIssue {
  readonly offset: number;
  readonly message: string;
}

/** Largest single format file believed (real ones are a few KiB). */
export const MAX_FORMAT_FILE = 1 << 20;

const latin1 = new TextDecoder('latin1');

export class Cursor {
  at = 0;
  constructor(
    readonly b: Uint8Array,
    /** File offset of b[0] (for messages; for decompressed sections, the section's offset). */
    readonly base: number,
    readonly e: Endian,
    readonly exact: boolean,
  ) {}

  get offset(): number {
    return this.exact ? this.base + this.at : this.base;
  }
  left(): number {
    return this.b.length - this.at;
  }
  u32(): number | null {
    if (this.left() < 4) return null;
    const v = this.e.u32(this.b, this.at);
    this.at += 4;
    return v;
  }
  u64(): number | null {
    if (this.left() < 8) return null;
    const v = this.e.u64(this.b, this.at);
    this.at += 8;
    return v;
  }
  bytes(n: number): Uint8Array | null {
    if (n > this.left()) return null;
    const v = this.b.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
  cstr(): string | null {
    const nul = findNul(this.b, this.at);
    if (nul < 0) return null;
    const s = cString(this.b, this.at, nul);
    this.at = nul + 1;
    return s;
  }
}

export interface HeaderInfo {
  page: PageHeader | null;
  event: EventHeader | null;
}

export function parseHeaderInfo(c: Cursor, issues: MetaIssue[]): HeaderInfo {
  const out: HeaderInfo = { page: null, event: null };
  for (const [name, key] of [
    ['header_page', 'page'],
    ['header_event', 'event'],
  ] as const) {
    const at = c.offset;
    const tag = c.cstr();
    if (tag !== name) {
      issues.push({ offset: at, message: `expected "${name}\\0", found ${tag === null ? 'the end of the block' : `"${tag}"`}` });
      return out;
    }
    const size = c.u64();
    const text = size === null || size > MAX_FORMAT_FILE ? null : c.bytes(size);
    if (text === null) {
      issues.push({ offset: c.offset, message: `${name}: size ${size ?? '(missing)'} does not fit in the ${c.left()} bytes left` });
      return out;
    }
    const t = latin1.decode(text);
    if (key === 'page') {
      out.page = parsePageHeader(t);
      if (!out.page) issues.push({ offset: at, message: 'header_page does not describe timestamp/commit/data fields; assuming the standard page layout' });
    } else {
      out.event = parseEventHeader(t);
      if (!out.event) issues.push({ offset: at, message: 'header_event does not give type_len/time_delta widths; assuming 5/27 bits' });
      else if (out.event.typeLenBits !== 5 || out.event.timeDeltaBits !== 27) issues.push({ offset: at, message: `header_event says type_len ${out.event.typeLenBits} bits, time_delta ${out.event.timeDeltaBits} bits; only 5/27 is supported` });
    }
  }
  return out;
}

/** One format file preceded by its u64 size. */
export function parseSizedFormat(c: Cursor, system: string, into: EventFormat[], issues: MetaIssue[]): boolean {
  const at = c.offset;
  const size = c.u64();
  if (size === null || size > MAX_FORMAT_FILE || size > c.left()) {
    issues.push({ offset: at, message: `${system} format file: size ${size ?? '(missing)'} does not fit in the ${c.left()} bytes left` });
    return false;
  }
  const text = latin1.decode(c.bytes(size) as Uint8Array);
  const f = parseEventFormat(system, text);
  if (f.ok) into.push(f.format);
  else issues.push({ offset: at, message: f.message });
  return true;
}

export function parseFtraceEvents(c: Cursor, into: EventFormat[], issues: MetaIssue[]): void {
  const at = c.offset;
  const count = c.u32();
  if (count === null) return void issues.push({ offset: at, message: 'ftrace events: no count' });
  for (let k = 0; k < count; k++) if (!parseSizedFormat(c, 'ftrace', into, issues)) return;
}

export function parseEventSystems(c: Cursor, into: EventFormat[], issues: MetaIssue[]): void {
  const at = c.offset;
  const systems = c.u32();
  if (systems === null) return void issues.push({ offset: at, message: 'event formats: no system count' });
  for (let s = 0; s < systems; s++) {
    const sAt = c.offset;
    const name = c.cstr();
    const count = name === null ? null : c.u32();
    if (name === null || count === null) return void issues.push({ offset: sAt, message: `event system ${s + 1} of ${systems}: name or event count missing` });
    for (let k = 0; k < count; k++) if (!parseSizedFormat(c, name, into, issues)) return;
  }
}

/** A text block preceded by its size (4 or 8 bytes). */
export function parseSizedText(c: Cursor, sizeBytes: 4 | 8, what: string, issues: MetaIssue[]): Uint8Array | null {
  const at = c.offset;
  const size = sizeBytes === 4 ? c.u32() : c.u64();
  if (size === null || size > c.left()) {
    issues.push({ offset: at, message: `${what}: size ${size ?? '(missing)'} does not fit in the ${c.left()} bytes left` });
    return null;
  }
  return c.bytes(size);
}
