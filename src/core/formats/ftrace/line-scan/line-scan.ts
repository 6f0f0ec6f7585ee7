/**
 * The WebAssembly line scanner (line-scan.as.ts) as the ftrace reader uses it: one instance per
 * reader (its name table maps bytes to that reader's string ids), the chunk copied into its
 * memory, events staged there and appended to the builder's columns in bulk.
 *
 * Why: the JavaScript hot path costs ~360 ns per line (1 GiB of ftrace text, 7.9 M lines: 2.8 s
 * on one core); the scanner, 16 bytes at a time where it searches, ~120 ns (bench/ftrace-scan).
 * It reads only the lines of the common shape, exactly as reader.ts would, and hands every other
 * line back; test/unit/ftrace-line-scan.test.ts compares the two readers' traces.
 */
import { WASM_BASE64 } from './line-scan-wasm';
import type { ScannedColumns } from '../../../trace/trace';

/** Why scan stopped (line-scan.as.ts). */
export const Stop = {
  /** No complete line left: the unfinished tail starts at stopPos. */
  End: 0,
  /** The line at stopPos is the JavaScript reader's. */
  Slow: 1,
  /** The line at stopPos needs the name [missStart, missEnd) registered. */
  Miss: 2,
  /** The staging arrays are full: scan again from stopPos. */
  Full: 3,
} as const;
export type Stop = (typeof Stop)[keyof typeof Stop];

/**
 * The parts of the WebAssembly API used here, declared locally: core compiles without DOM or
 * Node typings (env.d.ts), and the projects that include it with them declare it their own way.
 */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: unknown };
}
interface WasmGlobal {
  readonly value: number;
}
const host = globalThis as unknown as { WebAssembly?: WasmApi; atob?: (data: string) => string };

interface Exports {
  readonly memory: { readonly buffer: ArrayBuffer };
  init(): void;
  input(bytes: number): number;
  capacity(): number;
  scan(pos: number, length: number, maxLineBytes: number, emptyId: number, originSec: number, originFrac: number, baseOffset: number, firstLine: number): number;
  register(s: number, e: number, id: number): number;
  tsPtr(): number;
  offsetPtr(): number;
  cpuPtr(): number;
  pidPtr(): number;
  tgidPtr(): number;
  commPtr(): number;
  eventPtr(): number;
  flagsPtr(): number;
  linePtr(): number;
  lengthPtr(): number;
  payloadPtr(): number;
  readonly stopPos: WasmGlobal;
  readonly stopReason: WasmGlobal;
  readonly missStart: WasmGlobal;
  readonly missEnd: WasmGlobal;
  readonly sawTgid: WasmGlobal;
}

/** The compiled module, once per thread; null when this host cannot run it (then JavaScript reads every line). */
let compiled: object | null | undefined;

function moduleOnce(): object | null {
  if (compiled === undefined) {
    try {
      compiled = host.WebAssembly && host.atob ? new host.WebAssembly.Module(base64Bytes(host.atob, WASM_BASE64)) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

function base64Bytes(atob: (data: string) => string, b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Whether readers use the scanner (tests turn it off to compare with the JavaScript alone). */
let enabled = true;

/** Tests: read with the JavaScript hot path only (false) or with the scanner (true). */
export function setLineScanEnabled(on: boolean): void {
  enabled = on;
}

export class LineScan {
  private readonly x: Exports;
  private bytes: Uint8Array;
  /** Length of the chunk in the input. */
  private length = 0;
  /** Views of the staging arrays, made again when the memory grows (a new buffer). */
  private views: ScannedColumns;
  private viewsOf: ArrayBuffer | null = null;

  private constructor(x: Exports) {
    this.x = x;
    x.init();
    this.bytes = new Uint8Array(x.memory.buffer);
    this.views = this.makeViews();
  }

  /** A scanner for one reader, or null when WebAssembly is unavailable or turned off. */
  static create(): LineScan | null {
    if (!enabled) return null;
    const mod = moduleOnce();
    if (mod === null || !host.WebAssembly) return null;
    try {
      const inst = new host.WebAssembly.Instance(mod, {
        env: {
          abort: () => {
            throw new Error('line scanner aborted');
          },
        },
      });
      return new LineScan(inst.exports as unknown as Exports);
    } catch {
      return null;
    }
  }

  /**
   * Copies `chunk` into the scanner's input (positions stay the chunk's); false when its memory
   * cannot grow to hold it (then the reader reads on without the scanner).
   */
  load(chunk: Uint8Array): boolean {
    let at: number;
    try {
      at = this.x.input(chunk.length);
    } catch {
      return false;
    }
    if (this.bytes.buffer !== this.x.memory.buffer) this.bytes = new Uint8Array(this.x.memory.buffer);
    this.bytes.set(chunk, at);
    this.length = chunk.length;
    return true;
  }

  /**
   * Reads the lines from `pos` while they are of the common shape; the events' values are then in
   * `staged()`, `n` of them (the return value). See line-scan.as.ts's scan.
   */
  scan(pos: number, maxLineBytes: number, emptyId: number, originSec: number, originFrac: number, baseOffset: number, firstLine: number): number {
    return this.x.scan(pos, this.length, maxLineBytes, emptyId, originSec, originFrac, baseOffset, firstLine);
  }

  /** Bytes of WebAssembly memory this scanner holds (its input, staging arrays and name table). */
  get memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  get capacity(): number {
    return this.x.capacity();
  }

  get stopPos(): number {
    return this.x.stopPos.value;
  }

  get stopReason(): Stop {
    return this.x.stopReason.value as Stop;
  }

  get missStart(): number {
    return this.x.missStart.value;
  }

  get missEnd(): number {
    return this.x.missEnd.value;
  }

  /** Whether a staged line had a tgid column (TraceMeta.hasTgid). */
  get sawTgid(): boolean {
    return this.x.sawTgid.value !== 0;
  }

  /** Remembers the id of the name at [s, e) of the chunk; false when the table has no room for it. */
  register(s: number, e: number, id: number): boolean {
    return this.x.register(s, e, id) !== 0;
  }

  /** The staging arrays (valid until the next load or scan). */
  staged(): ScannedColumns {
    if (this.viewsOf !== this.x.memory.buffer) this.views = this.makeViews();
    return this.views;
  }

  private makeViews(): ScannedColumns {
    const b = this.x.memory.buffer;
    this.viewsOf = b;
    const cap = this.x.capacity();
    const x = this.x;
    return {
      tsNs: new Float64Array(b, x.tsPtr(), cap),
      cpu: new Uint16Array(b, x.cpuPtr(), cap),
      pid: new Int32Array(b, x.pidPtr(), cap),
      tgid: new Int32Array(b, x.tgidPtr(), cap),
      comm: new Uint32Array(b, x.commPtr(), cap),
      event: new Uint32Array(b, x.eventPtr(), cap),
      flags: new Uint32Array(b, x.flagsPtr(), cap),
      line: new Uint32Array(b, x.linePtr(), cap),
      recOffset: new Float64Array(b, x.offsetPtr(), cap),
      recLength: new Uint32Array(b, x.lengthPtr(), cap),
      payloadStart: new Uint32Array(b, x.payloadPtr(), cap),
    };
  }
}
