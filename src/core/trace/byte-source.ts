/**
 * Random access to the bytes a trace was read from. The model keeps only each event's byte
 * range (DESIGN.md: fields stay raw until asked for); the text is read back on demand, so a
 * 1 GB trace does not hold its payloads in memory.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes [offset, offset + length), clipped to the end of the source. */
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

export class MemoryByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }

  close(): void {}
}
