/**
 * Decompression glue for trace.dat version 7 (trace-cmd.dat.v7(5), "COMPRESSION FORMAT OF THE
 * FILE SECTIONS" / "... OF THE TRACE DATA"). The file names its algorithm once in the initial
 * header ("zstd" or "zlib" plus a version); trace-cmd's plugins write one zstd frame
 * (ZSTD_compressCCtx) or one zlib stream (compress2, RFC 1950) per block. Pure-JS decoders keep
 * core free of native code: fzstd and fflate.
 *
 * Every block declares its uncompressed size, which is untrusted: the output buffer is
 * allocated at that size only after the caller has checked it against a limit, and the
 * decoders write into that buffer (never into one sized from the stream's own header).
 */
import { decompress as zstdDecompress } from 'fzstd';
import { unzlibSync } from 'fflate';

export type Codec = 'zstd' | 'zlib';

export function codecOf(name: string): Codec | null {
  return name === 'zstd' ? 'zstd' : name === 'zlib' ? 'zlib' : null;
}

export type Inflated = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: string };

/** Decompresses one block into exactly `size` bytes, or says why it could not. */
export function inflate(codec: Codec, data: Uint8Array, size: number): Inflated {
  const out = new Uint8Array(size);
  try {
    const got = codec === 'zstd' ? zstdDecompress(data, out) : unzlibSync(data, { out });
    // fzstd returns the buffer it was given (or a concatenation when there are several frames);
    // fflate returns a view of `out` trimmed to what was produced.
    if (got.length !== size) return { ok: false, error: `${codec} block gave ${got.length} bytes, the header says ${size}` };
    if (got.buffer !== out.buffer) out.set(got.subarray(0, size));
    return { ok: true, bytes: out };
  } catch (err) {
    return { ok: false, error: `${codec} data is corrupt (${err instanceof Error ? err.message : String(err)})` };
  }
}
