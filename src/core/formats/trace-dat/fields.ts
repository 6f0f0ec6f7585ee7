/**
 * Field values of a trace.dat record, decoded by each field's declared type, offset, size and
 * signedness (the event's format file). The text of each value is what libtraceevent's
 * tep_print_field_content gives, i.e. what `trace-cmd report -R` prints, so the golden tests can
 * compare field by field:
 *   strings       char/u8/s8 arrays (fixed, `__data_loc`, `__rel_loc`) whose bytes are
 *                 printable: the text up to the first NUL
 *   other arrays  `ARRAY[xx, xx, ...]` (the bytes in hex)
 *   pointers      `0x` + hex
 *   signed        decimal (`long` of 4 bytes in hex)
 *   unsigned      decimal (`long` types in hex)
 */
import type { Endian } from './bytes';
import { FIELD_ARRAY, FIELD_DYNAMIC, FIELD_LONG, FIELD_POINTER, FIELD_RELATIVE, FIELD_SIGNED, FIELD_STRING, type FieldDef } from './event-format';

const utf8 = new TextDecoder('utf-8');

/** Where an array field's bytes are: fixed arrays in place, dynamic ones through their u32 locator. */
export function arraySpan(f: FieldDef, data: Uint8Array, e: Endian): { start: number; len: number } {
  let start = f.offset;
  let len = f.size;
  if (f.flags & FIELD_DYNAMIC) {
    if (f.offset + 4 > data.length) return { start: 0, len: 0 };
    const word = e.u32(data, f.offset);
    start = word & 0xffff;
    len = word >>> 16;
    if (f.flags & FIELD_RELATIVE) start += f.offset + f.size;
  }
  if (start > data.length) return { start: data.length, len: 0 };
  return { start, len: Math.min(len, data.length - start) };
}

/** isprint || isspace in the C locale, as libtraceevent's is_printable_array checks. */
function printableByte(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0x09 && c <= 0x0d);
}

/** The NUL-terminated text at `start` (to the end of the record when there is no NUL), as UTF-8. */
export function cStringAt(data: Uint8Array, start: number): string {
  let end = data.indexOf(0, start);
  if (end < 0) end = data.length;
  return utf8.decode(data.subarray(start, end));
}

function hexBytes(data: Uint8Array, start: number, len: number): string {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push((data[start + i] as number).toString(16).padStart(2, '0'));
  return `ARRAY[${parts.join(', ')}]`;
}

export function fieldText(f: FieldDef, data: Uint8Array, e: Endian): string {
  if (f.flags & FIELD_ARRAY) {
    const { start, len } = arraySpan(f, data, e);
    if (f.flags & FIELD_STRING) {
      let ok = true;
      for (let i = start; i < start + len && data[i] !== 0; i++) {
        if (!printableByte(data[i] as number)) {
          ok = false;
          break;
        }
      }
      if (ok) return cStringAt(data, start);
    }
    return hexBytes(data, start, len);
  }
  if (f.size === 0 || f.size > 8 || f.offset + f.size > data.length) return '';
  const raw = e.uint(data, f.offset, f.size);
  if (f.flags & FIELD_POINTER) return `0x${raw.toString(16)}`;
  if (f.flags & FIELD_SIGNED) {
    if (f.size === 4 && f.flags & FIELD_LONG) return `0x${raw.toString(16)}`;
    return BigInt.asIntN(f.size === 1 || f.size === 2 || f.size === 4 ? f.size * 8 : 64, raw).toString();
  }
  if (f.flags & FIELD_LONG) return `0x${raw.toString(16)}`;
  return raw.toString();
}

/** Every non-common field as name -> text, in declaration order. */
export function decodeFields(fields: readonly FieldDef[], data: Uint8Array, e: Endian): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) out[f.name] = fieldText(f, data, e);
  return out;
}
