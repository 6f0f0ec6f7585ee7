/**
 * Append-only typed-array columns stored in fixed-size blocks.
 *
 * Why blocks: a 1 GB trace holds ~10 M events; a doubling array would copy (and briefly hold
 * twice) every column each time it grows. Blocks never move, so peak memory stays at the
 * data itself plus at most one partly filled block per column.
 */

/** Entries per block (2^16): small enough that the last, partly filled block wastes little. */
export const BLOCK_SHIFT = 16;
export const BLOCK_SIZE = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK_SIZE - 1;

type TypedArray = Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Uint8Array;

interface TypedArrayCtor<T extends TypedArray> {
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

export class BlockColumn<T extends TypedArray> {
  private readonly blocks: T[] = [];
  /** The block being filled (the last one); cached so `push` does no array lookup. */
  private current: T | null = null;
  private size = 0;

  constructor(private readonly ctor: TypedArrayCtor<T>) {}

  get length(): number {
    return this.size;
  }

  /** Bytes per value (8 for Float64Array, ...). */
  get bytesPerValue(): number {
    return this.ctor.BYTES_PER_ELEMENT;
  }

  push(value: number): void {
    const offset = this.size & BLOCK_MASK;
    if (offset === 0 || this.current === null) {
      this.current = new this.ctor(BLOCK_SIZE);
      this.blocks.push(this.current);
    }
    this.current[offset] = value;
    this.size++;
  }

  /**
   * Starts a new block and returns it, for writers that fill several columns in lockstep
   * (TraceBuilder) and track the fill position themselves; they report it with `setLength`.
   */
  appendBlock(): T {
    const block = new this.ctor(BLOCK_SIZE);
    this.blocks.push(block);
    this.current = block;
    return block;
  }

  setLength(n: number): void {
    this.size = n;
  }

  get(index: number): number {
    return (this.blocks[index >>> BLOCK_SHIFT] as T)[index & BLOCK_MASK] as number;
  }

  set(index: number, value: number): void {
    (this.blocks[index >>> BLOCK_SHIFT] as T)[index & BLOCK_MASK] = value;
  }

  /** Bytes held by this column's blocks. */
  byteLength(): number {
    let n = 0;
    for (const b of this.blocks) n += b.byteLength;
    return n;
  }
}

export const float64Column = (): BlockColumn<Float64Array> => new BlockColumn(Float64Array);
export const int32Column = (): BlockColumn<Int32Array> => new BlockColumn(Int32Array);
export const uint32Column = (): BlockColumn<Uint32Array> => new BlockColumn(Uint32Array);
export const uint16Column = (): BlockColumn<Uint16Array> => new BlockColumn(Uint16Array);
