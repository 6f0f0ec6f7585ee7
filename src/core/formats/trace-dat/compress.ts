/**
 * Decompression glue for trace.dat version 7 (trace-cmd.dat.v7(5), "COMPRESSION FORMAT OF THE
 * FILE SECTIONS" / "... OF THE TRACE DATA"). The file names its algorithm once in the initial
 * header ("zstd" or "zlib" plus a version); trace-cmd's plugins write one zstd frame
 * (ZSTD_compressCCtx) or one zlib stream (compress2, RFC 1950) per block. No native code (it
 * breaks Remote-SSH and web hosts): zstd is the reference C decoder compiled to WebAssembly
 * (zstddec; its module is inlined in the package, so nothing is fetched over a network),
 * zlib is fflate. fzstd (pure JavaScript) decodes zstd until the WebAssembly module has loaded
 * (`loadZstd`, awaited before a trace.dat is read) or where it cannot load.
 *
 * Why WebAssembly (issue 17): fzstd decoded the trace-cmd blocks of the v7 fixtures at
 * 1/20-1/30 of zstddec's speed in the same run (bench/zstd.bench.mjs), and bounded trace.dat
 * v7 reading at 0.40x `trace-cmd report`.
 *
 * Every block declares its uncompressed size, which is untrusted: the output buffer is
 * allocated at that size only after the caller has checked it against a limit, and the
 * decoders write at most that many bytes (never a size taken from the stream's own header).
 */
import { decompress as zstdDecompress } from 'fzstd';
import { unzlibSync } from 'fflate';
import { ZSTDDecoder } from 'zstddec';

const wasmZstd = new ZSTDDecoder();
let wasmZstdReady = false;
let wasmZstdLoading: Promise<void> | null = null;

/**
 * Loads the WebAssembly zstd decoder (once per thread; a few ms). Never rejects: where
 * WebAssembly cannot be instantiated, inflate goes on with fzstd.
 */
export function loadZstd(): Promise<void> {
  wasmZstdLoading ??= wasmZstd.init().then(
    () => {
      wasmZstdReady = true;
    },
    () => undefined,
  );
  return wasmZstdLoading;
}

/** Which zstd decoder inflate uses now (tests). */
export function zstdDecoder(): 'wasm' | 'fzstd' {
  return wasmZstdReady ? 'wasm' : 'fzstd';
}

/** @internal fzstd's output for the same block, for the test that the decoders agree. */
export function inflateZstdWithFzstd(data: Uint8Array, size: number): Uint8Array {
  return zstdDecompress(data, new Uint8Array(size));
}

export type Codec = 'zstd' | 'zlib';

export function codecOf(name: string): Codec | null {
  return name === 'zstd' ? 'zstd' : name === 'zlib' ? 'zlib' : null;
}

export type Inflated = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly error: string };

/** Decompresses one block into exactly `size` bytes, or says why it could not. */
export function inflate(codec: Codec, data: Uint8Array, size: number): Inflated {
  if (codec === 'zstd' && wasmZstdReady) {
    // ZSTD_decompress into a `size`-byte buffer: a frame that holds more fails
    // (dstSize_tooSmall) and an error returns no bytes, so a wrong length is the one check.
    let got: Uint8Array;
    try {
      got = wasmZstd.decode(data, size);
    } catch (err) {
      return { ok: false, error: `zstd data is corrupt (${err instanceof Error ? err.message : String(err)})` };
    }
    return got.length === size ? { ok: true, bytes: got } : { ok: false, error: `zstd data is corrupt (a block that should give ${size} bytes gave ${got.length})` };
  }
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
