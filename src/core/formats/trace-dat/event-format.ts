/**
 * Parser for the tracefs `format` files that trace.dat embeds (events/<system>/<event>/format,
 * events/ftrace/<event>/format), and for events/header_page and events/header_event, which
 * describe the ring-buffer page and event headers.
 *
 * A format file (Documentation/trace/events.rst, "Event formats"):
 *   name: sched_switch
 *   ID: 316
 *   format:
 *   	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 *   	...
 *   	field:__data_loc char[] name;	offset:24;	size:4;	signed:0;
 *   print fmt: "prev_comm=%s ...", REC->prev_comm, ...
 *
 * Field flags follow libtraceevent (what `trace-cmd report -R` prints by): arrays (`x[N]`,
 * `__data_loc T[]`, `__rel_loc T[]`), strings (arrays of char/u8/s8), pointers (type ends in
 * `*`), longs (type mentions `long`), signedness from `signed:`.
 */

export const FIELD_ARRAY = 1;
export const FIELD_POINTER = 2;
export const FIELD_SIGNED = 4;
export const FIELD_STRING = 8;
/** `__data_loc`: a u32 holding (length << 16 | offset) of data later in the record. */
export const FIELD_DYNAMIC = 16;
export const FIELD_LONG = 32;
/** `__rel_loc`: like __data_loc, offset relative to the end of the field. */
export const FIELD_RELATIVE = 64;

export interface FieldDef {
  readonly name: string;
  /** Declared type without the name, e.g. `char[16]`, `__data_loc char[]`, `void *`. */
  readonly type: string;
  readonly offset: number;
  readonly size: number;
  readonly flags: number;
  /** Element count of a fixed array (`x[16]` -> 16), 0 for `x[]`, null when not an array. */
  readonly arrayLen: number | null;
}

export interface EventFormat {
  readonly system: string;
  readonly name: string;
  readonly id: number;
  readonly common: readonly FieldDef[];
  readonly fields: readonly FieldDef[];
  /** Text after `print fmt: `, or null when the file has none. */
  readonly printFmt: string | null;
}

const FIELD_LINE = /^\s*field(?:\s+special)?:(.*?);\s*offset:\s*(-?\d+);\s*size:\s*(-?\d+);(?:\s*signed:\s*(-?\d+);)?/;

/** Parses one `field:...;` declaration into a FieldDef, or null when it is not one. */
export function parseFieldLine(line: string): FieldDef | null {
  const m = FIELD_LINE.exec(line);
  if (!m) return null;
  const decl = (m[1] as string).trim();
  const offset = Number(m[2]);
  const size = Number(m[3]);
  if (offset < 0 || size < 0 || offset > 0xffff || size > 0xffff) return null;
  const signed = m[4] === '1';
  // `TYPE NAME`, `TYPE NAME[N]`, `__data_loc TYPE[] NAME`, `TYPE *NAME`.
  const dm = /^(.*?)([A-Za-z_$][\w$]*)\s*(\[[^\]]*\])?\s*$/.exec(decl);
  if (!dm) return null;
  let type = (dm[1] as string).trim();
  const name = dm[2] as string;
  const bracket = dm[3];
  let arrayLen: number | null = null;
  let flags = 0;
  if (bracket !== undefined) {
    const inner = bracket.slice(1, -1).trim();
    arrayLen = /^\d+$/.test(inner) ? Number(inner) : /^0x[0-9a-f]+$/i.test(inner) ? parseInt(inner, 16) : 0;
    type = `${type}${bracket.replace(/\s+/g, '')}`;
    flags |= FIELD_ARRAY;
  }
  if (/\[\s*\]/.test(type) || /\[\s*\d*\s*\]$/.test(type)) flags |= FIELD_ARRAY;
  if (type.startsWith('__data_loc')) flags |= FIELD_DYNAMIC | FIELD_ARRAY;
  if (type.startsWith('__rel_loc')) flags |= FIELD_DYNAMIC | FIELD_RELATIVE | FIELD_ARRAY;
  if (type.endsWith('*')) flags |= FIELD_POINTER;
  if (signed) flags |= FIELD_SIGNED;
  if (flags & FIELD_ARRAY && (type.includes('char') || type.includes('u8') || type.includes('s8'))) flags |= FIELD_STRING;
  if (type.includes('long')) flags |= FIELD_LONG;
  return { name, type, offset, size, flags, arrayLen };
}

export type FormatParse = { readonly ok: true; readonly format: EventFormat } | { readonly ok: false; readonly message: string };

/** Parses one event format file. */
export function parseEventFormat(system: string, text: string): FormatParse {
  const name = /^name:\s*(\S+)\s*$/m.exec(text)?.[1];
  if (!name) return { ok: false, message: 'format has no "name:" line' };
  const idText = /^ID:\s*(\d+)\s*$/m.exec(text)?.[1];
  if (idText === undefined) return { ok: false, message: `format of ${system}:${name} has no "ID:" line` };
  const id = Number(idText);
  if (id > 0xffff) return { ok: false, message: `format of ${system}:${name} has ID ${id}, more than 16 bits` };
  const common: FieldDef[] = [];
  const fields: FieldDef[] = [];
  let printFmt: string | null = null;
  // A blank line separates the common fields from the event's own.
  for (const line of text.split('\n')) {
    const pf = /^print fmt:\s?(.*)$/.exec(line);
    if (pf) {
      printFmt = (pf[1] as string).trimEnd();
      continue;
    }
    const f = parseFieldLine(line);
    if (!f) continue;
    (f.name.startsWith('common_') ? common : fields).push(f);
  }
  return { ok: true, format: { system, name, id, common, fields, printFmt } };
}

/** Where the common fields sit in every record (the same for all events of a file). */
export interface CommonLayout {
  readonly type: { readonly offset: number; readonly size: number };
  readonly flags: { readonly offset: number; readonly size: number } | null;
  readonly preempt: { readonly offset: number; readonly size: number } | null;
  readonly pid: { readonly offset: number; readonly size: number };
}

/** The layout every kernel since 2.6.32 uses (unsigned short type, u8 flags, u8 preempt, int pid). */
export const DEFAULT_COMMON: CommonLayout = { type: { offset: 0, size: 2 }, flags: { offset: 2, size: 1 }, preempt: { offset: 3, size: 1 }, pid: { offset: 4, size: 4 } };

export function commonLayoutOf(f: EventFormat): CommonLayout | null {
  const get = (n: string) => f.common.find((c) => c.name === n);
  const type = get('common_type');
  const pid = get('common_pid');
  if (!type || !pid || ![1, 2, 4].includes(type.size) || pid.size !== 4) return null;
  const flags = get('common_flags');
  const preempt = get('common_preempt_count');
  return {
    type: { offset: type.offset, size: type.size },
    flags: flags && flags.size === 1 ? { offset: flags.offset, size: 1 } : null,
    preempt: preempt && preempt.size === 1 ? { offset: preempt.offset, size: 1 } : null,
    pid: { offset: pid.offset, size: 4 },
  };
}

export function sameLayout(a: CommonLayout, b: CommonLayout): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** events/header_page: where the page timestamp, commit word and data start. */
export interface PageHeader {
  readonly timestampOffset: number;
  readonly commitOffset: number;
  /** Size of the commit word: the kernel's long (8 on 64-bit kernels, 4 on 32-bit). */
  readonly commitSize: number;
  readonly dataOffset: number;
}

export function defaultPageHeader(kernelLong: number): PageHeader {
  return { timestampOffset: 0, commitOffset: 8, commitSize: kernelLong, dataOffset: 8 + kernelLong };
}

export function parsePageHeader(text: string): PageHeader | null {
  const fields = text.split('\n').map(parseFieldLine).filter((f): f is FieldDef => f !== null);
  const ts = fields.find((f) => f.name === 'timestamp');
  const commit = fields.find((f) => f.name === 'commit');
  const data = fields.find((f) => f.name === 'data');
  if (!ts || !commit || !data || ts.size !== 8 || (commit.size !== 4 && commit.size !== 8)) return null;
  return { timestampOffset: ts.offset, commitOffset: commit.offset, commitSize: commit.size, dataOffset: data.offset };
}

/** events/header_event: the compressed event header's bit widths and special type_len values. */
export interface EventHeader {
  readonly typeLenBits: number;
  readonly timeDeltaBits: number;
  readonly padding: number;
  readonly timeExtend: number;
  readonly timeStamp: number;
  readonly dataMax: number;
}

export const DEFAULT_EVENT_HEADER: EventHeader = { typeLenBits: 5, timeDeltaBits: 27, padding: 29, timeExtend: 30, timeStamp: 31, dataMax: 28 };

export function parseEventHeader(text: string): EventHeader | null {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const typeLenBits = num(/type_len\s*:\s*(\d+)\s*bits/);
  const timeDeltaBits = num(/time_delta\s*:\s*(\d+)\s*bits/);
  if (typeLenBits === null || timeDeltaBits === null) return null;
  return {
    typeLenBits,
    timeDeltaBits,
    padding: num(/padding\s*:\s*type\s*==\s*(\d+)/) ?? DEFAULT_EVENT_HEADER.padding,
    timeExtend: num(/time_extend\s*:\s*type\s*==\s*(\d+)/) ?? DEFAULT_EVENT_HEADER.timeExtend,
    timeStamp: num(/time_stamp\s*:\s*type\s*==\s*(\d+)/) ?? DEFAULT_EVENT_HEADER.timeStamp,
    dataMax: num(/data max type_len\s*==\s*(\d+)/) ?? DEFAULT_EVENT_HEADER.dataMax,
  };
}
