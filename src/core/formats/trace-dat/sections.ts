/**
 * The trace.dat container: initial header, version 7 section headers, and options.
 * Spec: trace-cmd.dat.v6(5) and trace-cmd.dat.v7(5) (rostedt/trace-cmd,
 * Documentation/trace-cmd/trace-cmd.dat.v6.5.txt / .v7.5.txt). Where the man page and the
 * files trace-cmd 3.x writes differ, the files win (noted below).
 */
import { ascii, cString, findNul, type Endian } from './bytes';

export const MAGIC = [0x17, 0x08, 0x44] as const;

/** Version 7 section ids (the option id that points at each section is the same number). */
export const SECTION = {
  OPTIONS: 0,
  BUFFER: 3,
  STRINGS: 15,
  HEADER_INFO: 16,
  FTRACE_EVENTS: 17,
  EVENT_FORMATS: 18,
  KALLSYMS: 19,
  PRINTK: 20,
  CMDLINES: 21,
  BUFFER_TEXT: 22,
} as const;

export const OPTION = {
  DONE: 0,
  DATE: 1,
  CPUSTAT: 2,
  BUFFER: 3,
  TRACECLOCK: 4,
  UNAME: 5,
  HOOK: 6,
  OFFSET: 7,
  CPUCOUNT: 8,
  VERSION: 9,
  PROCMAPS: 10,
  TRACEID: 11,
  TIME_SHIFT: 12,
  GUEST: 13,
  TSC2NSEC: 14,
  BUFFER_TEXT: 22,
} as const;

/**
 * Section header: id u16, flags u16 (1 = compressed), description string id u32, size. The v7
 * man page says the size is 4 bytes; trace-cmd (3.0 to 3.3) writes 8, and so do the files.
 */
export const SECTION_HEADER_BYTES = 16;
export const SECTION_FLAG_COMPRESSED = 1;

export interface InitialHeader {
  readonly version: number;
  readonly littleEndian: boolean;
  /** User-space long size of the traced machine (4 or 8). */
  readonly longSize: number;
  readonly pageSize: number;
  /** v7: compression algorithm name and version ("none" = not compressed); null for v6. */
  readonly compression: { readonly name: string; readonly version: string } | null;
  /** v7: offset of the first options section. */
  readonly firstOptions: number;
  /** Bytes the initial header takes. */
  readonly length: number;
}

export type HeaderParse = { readonly kind: 'ok'; readonly header: InitialHeader } | { readonly kind: 'need-more' } | { readonly kind: 'error'; readonly offset: number; readonly message: string };

/** Longest version / compression strings accepted before the header is called corrupt. */
const MAX_HEADER_STRING = 64;

/**
 * Parses the initial header from the first bytes of the file (`b` may be any prefix). Returns
 * need-more until the header is complete, or an error naming the offset.
 */
export function parseInitialHeader(b: Uint8Array, makeEndian: (little: boolean) => Endian): HeaderParse {
  for (let i = 0; i < 3; i++) {
    if (i >= b.length) return { kind: 'need-more' };
    if (b[i] !== MAGIC[i]) return { kind: 'error', offset: i, message: `not a trace-cmd file: byte ${i} is 0x${(b[i] as number).toString(16)}, expected the magic 17 08 44 "tracing"` };
  }
  const tracing = ascii(b, 3, Math.min(b.length, 10));
  if (!'tracing'.startsWith(tracing)) return { kind: 'error', offset: 3, message: `not a trace-cmd file: expected "tracing" after the magic, found "${tracing}"` };
  if (b.length < 10) return { kind: 'need-more' };
  const vEnd = findNul(b, 10, Math.min(b.length, 10 + MAX_HEADER_STRING));
  if (vEnd < 0) return b.length >= 10 + MAX_HEADER_STRING ? { kind: 'error', offset: 10, message: 'version string is not NUL-terminated' } : { kind: 'need-more' };
  const vText = ascii(b, 10, vEnd);
  if (!/^\d+$/.test(vText)) return { kind: 'error', offset: 10, message: `version "${vText}" is not a number` };
  const version = Number(vText);
  if (version < 6 || version > 7) return { kind: 'error', offset: 10, message: `trace.dat version ${version} is not supported (versions 6 and 7 are)` };
  let at = vEnd + 1;
  if (b.length < at + 6) return { kind: 'need-more' };
  const endianByte = b[at] as number;
  if (endianByte > 1) return { kind: 'error', offset: at, message: `endianness byte is ${endianByte}, expected 0 (little) or 1 (big)` };
  const longSize = b[at + 1] as number;
  if (longSize !== 4 && longSize !== 8) return { kind: 'error', offset: at + 1, message: `long size is ${longSize}, expected 4 or 8` };
  const e = makeEndian(endianByte === 0);
  const pageSize = e.u32(b, at + 2);
  if (pageSize < 64 || pageSize > 1 << 24 || (pageSize & (pageSize - 1)) !== 0) return { kind: 'error', offset: at + 2, message: `page size ${pageSize} is not a power of two between 64 B and 16 MiB` };
  at += 6;
  if (version < 7) return { kind: 'ok', header: { version, littleEndian: endianByte === 0, longSize, pageSize, compression: null, firstOptions: 0, length: at } };
  const nameEnd = findNul(b, at, Math.min(b.length, at + MAX_HEADER_STRING));
  if (nameEnd < 0) return b.length >= at + MAX_HEADER_STRING ? { kind: 'error', offset: at, message: 'compression name is not NUL-terminated' } : { kind: 'need-more' };
  const verEnd = findNul(b, nameEnd + 1, Math.min(b.length, nameEnd + 1 + MAX_HEADER_STRING));
  if (verEnd < 0) return b.length >= nameEnd + 1 + MAX_HEADER_STRING ? { kind: 'error', offset: nameEnd + 1, message: 'compression version is not NUL-terminated' } : { kind: 'need-more' };
  if (b.length < verEnd + 1 + 8) return { kind: 'need-more' };
  const compression = { name: ascii(b, at, nameEnd), version: ascii(b, nameEnd + 1, verEnd) };
  const firstOptions = e.u64(b, verEnd + 1);
  return { kind: 'ok', header: { version, littleEndian: endianByte === 0, longSize, pageSize, compression, firstOptions, length: verEnd + 9 } };
}

export interface SectionHeader {
  readonly offset: number;
  readonly id: number;
  readonly flags: number;
  readonly stringId: number;
  /** Bytes after the section header (the compressed size when compressed). */
  readonly size: number;
}

export function parseSectionHeader(b: Uint8Array, at: number, offset: number, e: Endian): SectionHeader {
  return { offset, id: e.u16(b, at), flags: e.u16(b, at + 2), stringId: e.u32(b, at + 4), size: e.u64(b, at + 8) };
}

export interface BufferCpu {
  readonly cpu: number;
  readonly offset: number;
  readonly size: number;
}

/** A BUFFER option: where one tracing instance's per-CPU ring-buffer data lives. */
export interface BufferOption {
  /** v7: offset of the BUFFER section; v6: offset of the instance's flyrecord data header. */
  readonly sectionOffset: number;
  readonly name: string;
  readonly clock: string | null;
  readonly pageSize: number | null;
  readonly cpus: readonly BufferCpu[];
  /** BUFFER_TEXT (latency text) rather than flyrecord data. */
  readonly text: boolean;
}

/** What the options say; sections they point at are collected separately. */
export interface DatOptions {
  readonly buffers: BufferOption[];
  /** Pointers to metadata sections (v7), by section id: target offset, and where the option is. */
  readonly sections: Map<number, { readonly target: number; readonly at: number }>;
  traceClock: string | null;
  uname: string | null;
  version: string | null;
  cpuCount: number | null;
  /** Nanoseconds added to every timestamp (OFFSET option). */
  tsOffset: bigint;
  /** DATE option: offset to wall-clock time, applied like trace-cmd report does. */
  dateOffset: bigint | null;
  tsc2nsec: { readonly mult: number; readonly shift: number; readonly offset: bigint } | null;
}

export function emptyOptions(): DatOptions {
  return { buffers: [], sections: new Map(), traceClock: null, uname: null, version: null, cpuCount: null, tsOffset: 0n, dateOffset: null, tsc2nsec: null };
}

export interface OptionsResult {
  /** v7: offset of the next options section from DONE (0 = none). */
  readonly next: number;
  readonly issues: { readonly at: number; readonly message: string }[];
}

/** Largest CPU count believed in a BUFFER option (the kernel's NR_CPUS limit is 8192). */
const MAX_CPUS = 8192;

/**
 * Parses a list of options (v7: an options section's content; v6: the bytes after "options  \0"
 * up to and including the terminating id 0). `base` is the file offset of `b[0]` for messages.
 */
export function parseOptions(b: Uint8Array, base: number, version: number, e: Endian, longSize: number, into: DatOptions): OptionsResult {
  const issues: { at: number; message: string }[] = [];
  let at = 0;
  let next = 0;
  while (at + 2 <= b.length) {
    const id = e.u16(b, at);
    if (id === OPTION.DONE && version < 7) return { next: 0, issues };
    if (at + 6 > b.length) {
      issues.push({ at: base + at, message: `option ${id} is cut short (no size)` });
      break;
    }
    const size = e.u32(b, at + 2);
    const start = at + 6;
    if (start + size > b.length) {
      issues.push({ at: base + at, message: `option ${id} says ${size} bytes but only ${b.length - start} remain in its section` });
      break;
    }
    const d = b.subarray(start, start + size);
    const problem = parseOption(id, d, version, e, longSize, into, base + at);
    if (problem) issues.push({ at: base + at, message: problem });
    at = start + size;
    if (id === OPTION.DONE) {
      next = size >= 8 ? e.u64(d, 0) : 0;
      return { next, issues };
    }
  }
  if (version >= 7) issues.push({ at: base + at, message: 'options section ends without a DONE option' });
  return { next, issues };
}

function text(d: Uint8Array): string {
  return cString(d, 0).trim();
}

/** Signed decimal or 0x-hex integer (OFFSET and DATE options). */
function parseSignedInt(s: string): bigint | null {
  const m = /^\s*(-?)(0x[0-9a-fA-F]+|\d+)\s*$/.exec(s);
  if (!m) return null;
  const v = BigInt(m[2] as string);
  return m[1] ? -v : v;
}

function parseOption(id: number, d: Uint8Array, version: number, e: Endian, longSize: number, o: DatOptions, at: number): string | null {
  switch (id) {
    case OPTION.DONE:
      return null;
    case OPTION.DATE: {
      const v = parseSignedInt(text(d));
      if (v === null) return `DATE option "${text(d)}" is not a number`;
      o.dateOffset = v;
      return null;
    }
    case OPTION.OFFSET: {
      const v = parseSignedInt(text(d));
      if (v === null) return `OFFSET option "${text(d)}" is not a number`;
      o.tsOffset += v;
      return null;
    }
    case OPTION.TRACECLOCK: {
      // The content of trace_clock: "local global [counter] ..."; the bracketed one is in use.
      const m = /\[([^\]]+)\]/.exec(text(d));
      o.traceClock = m ? (m[1] as string) : text(d) || null;
      return null;
    }
    case OPTION.UNAME:
      o.uname = text(d);
      return null;
    case OPTION.VERSION:
      o.version = text(d);
      return null;
    case OPTION.CPUCOUNT:
      if (d.length < 4) return 'CPUCOUNT option shorter than 4 bytes';
      o.cpuCount = e.u32(d, 0);
      return null;
    case OPTION.TSC2NSEC:
      if (d.length < 16) return 'TSC2NSEC option shorter than 16 bytes';
      o.tsc2nsec = { mult: e.u32(d, 0), shift: e.u32(d, 4), offset: e.u64big(d, 8) };
      return null;
    case OPTION.BUFFER:
    case OPTION.BUFFER_TEXT:
      return parseBufferOption(id, d, version, e, o);
    default:
      if (version >= 7 && id >= SECTION.STRINGS && id <= SECTION.CMDLINES) {
        if (d.length < 8) return `option ${id} (section pointer) shorter than 8 bytes`;
        o.sections.set(id, { target: e.u64(d, 0), at });
      }
      void longSize;
      return null;
  }
}

function parseBufferOption(id: number, d: Uint8Array, version: number, e: Endian, o: DatOptions): string | null {
  if (d.length < 8) return 'BUFFER option shorter than 8 bytes';
  const sectionOffset = e.u64(d, 0);
  let at = 8;
  const nameEnd = findNul(d, at);
  if (nameEnd < 0) return 'BUFFER option: instance name is not NUL-terminated';
  const name = cString(d, at, nameEnd);
  at = nameEnd + 1;
  if (version < 7) {
    o.buffers.push({ sectionOffset, name, clock: null, pageSize: null, cpus: [], text: false });
    return null;
  }
  const clockEnd = findNul(d, at);
  if (clockEnd < 0) return `BUFFER option "${name}": clock is not NUL-terminated`;
  const clock = cString(d, at, clockEnd);
  at = clockEnd + 1;
  if (id === OPTION.BUFFER_TEXT) {
    o.buffers.push({ sectionOffset, name, clock, pageSize: null, cpus: [], text: true });
    return null;
  }
  // trace-cmd 3.1+ writes the page size here (not in the v7 man page); older v7 writers went
  // straight to the CPU count. Tell them apart by which reading accounts for the option's size.
  const rest = d.length - at;
  let pageSize: number | null = null;
  if (rest >= 8) {
    const withPage = e.u32(d, at + 4);
    if (rest === 8 + withPage * 20) {
      pageSize = e.u32(d, at);
      at += 4;
    }
  }
  if (d.length < at + 4) return `BUFFER option "${name}": no CPU count`;
  const count = e.u32(d, at);
  at += 4;
  if (count > MAX_CPUS || d.length < at + count * 20) return `BUFFER option "${name}": ${count} CPUs do not fit in its ${d.length} bytes`;
  const cpus: BufferCpu[] = [];
  for (let k = 0; k < count; k++, at += 20) cpus.push({ cpu: e.u32(d, at), offset: e.u64(d, at + 4), size: e.u64(d, at + 12) });
  if (pageSize !== null && (pageSize < 64 || pageSize > 1 << 24 || (pageSize & (pageSize - 1)) !== 0)) return `BUFFER option "${name}": page size ${pageSize} is not a power of two between 64 B and 16 MiB`;
  o.buffers.push({ sectionOffset, name, clock, pageSize, cpus, text: false });
  return null;
}
