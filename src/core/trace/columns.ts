/**
 * Append-only typed-array columns stored in fixed-size blocks.
 *
 * Why blocks: a 1 GB trace holds ~10 M events; a doubling array would copy (and briefly hold
 * twice) every column each time it grows. Blocks never move, so peak memory stays at the
 * data itself plus at most one partly filled block per column.
 */

/** Entries per block (2^16): small enough that the last, partly filled block wastes little. */
const BLOCK_SHIFT = 16;
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

  /** The blocks (the last one filled up to `length`): moved whole between threads (trace-part.ts). */
  get blockList(): readonly T[] {
    return this.blocks;
  }

  /**
   * Appends `length` values held in `blocks` (BLOCK_SIZE values each, the last one filled up to
   * `length`) by taking the blocks over (blocks moved from another thread, trace-part.ts): when
   * this column ends mid-block, the first values fill that block and the rest move down within
   * their own blocks (memmove), so no block is allocated or copied whole and memory does not grow.
   * The caller must not use `blocks` afterwards.
   */
  takeBlocks(blocks: readonly T[], length: number): void {
    if (length <= 0) return;
    const r = this.size & BLOCK_MASK;
    if (r === 0) {
      // This column's last block is full (or it has none): the blocks fit as they are.
      const n = Math.ceil(length / BLOCK_SIZE);
      for (let j = 0; j < n; j++) this.blocks.push(blocks[j] as T);
      this.current = this.blocks.at(-1) ?? null;
      this.size += length;
      return;
    }
    const fill = Math.min(BLOCK_SIZE - r, length);
    (this.current as T).set((blocks[0] as T).subarray(0, fill) as never, r);
    this.size += fill;
    let left = length - fill;
    for (let j = 0; left > 0; j++) {
      // Block j becomes values [fill + j * BLOCK_SIZE, +BLOCK_SIZE): its own tail, then the head of block j + 1.
      const dst = blocks[j] as T;
      dst.copyWithin(0, fill, BLOCK_SIZE);
      const n = Math.min(BLOCK_SIZE, left);
      if (n > BLOCK_SIZE - fill) dst.set((blocks[j + 1] as T).subarray(0, n - (BLOCK_SIZE - fill)) as never, BLOCK_SIZE - fill);
      this.blocks.push(dst);
      this.current = dst;
      this.size += n;
      left -= n;
    }
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
