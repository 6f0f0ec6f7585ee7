/**
 * Where the next newline is: the line splitter's one search per line, the hot path's biggest
 * single cost after parsing (12 % of reading ftrace text). Uint8Array's indexOf scans byte by
 * byte; Node's Buffer search is memchr (SIMD), measured 3.3x faster over the same 256 MB of
 * 136-byte lines (124 ms vs 38 ms). Core stays free of Node (it also runs in browsers), so the
 * faster search is installed by core/io, where Node is: `installByteSearch`.
 */
export type ByteSearch = (buf: Uint8Array, byte: number, from: number) => number;

const portable: ByteSearch = (buf, byte, from) => buf.indexOf(byte, from);

/** The index of `byte` in `buf` at or after `from`, or -1. */
export let indexOfByte: ByteSearch = portable;

/** Replaces the search (it must return what Uint8Array.prototype.indexOf returns). */
export function installByteSearch(search: ByteSearch): void {
  indexOfByte = search;
}
