/**
 * Cuts a byte stream pushed in chunks of any size into records (pcap packet records, pcapng
 * blocks) whose length is only known from their header, holding at most a bounded head and
 * tail of each record: a record that claims 4 GiB costs a skip counter, not a buffer.
 *
 * The format supplies a RecordHandler:
 *   plan(view, start, have, offset)  looks at the first `have` contiguous bytes of the record
 *     starting at file offset `offset` and returns NEED(n) (n > have: wait for n bytes; n must not
 *     exceed the record's length once that is known), PLANNED after calling `pump.expect(total,
 *     head, tail)` (the record is `total` bytes; it wants the first `head` and the last `tail` of
 *     them), or STOP (the stream is unusable from here; the handler has recorded why).
 *   record(...)  gets the head and tail views once every byte of the record has gone by; the
 *     views are only valid during the call (they may point into the caller's chunk).
 * A whole record inside one chunk is handed over in place, without copying.
 */

export const STOP = -1;
export const PLANNED = 0;

export interface RecordHandler {
  plan(view: Uint8Array, start: number, have: number, offset: number): number;
  record(head: Uint8Array, headStart: number, headLen: number, tail: Uint8Array, tailStart: number, tailLen: number, offset: number, total: number): void;
}

/** Largest head or tail a handler may ask for. */
export const MAX_KEEP = 1 << 20;

export class RecordPump {
  /** Absolute offset of the next byte to arrive. */
  pos = 0;
  /** Set by the pump (plan returned STOP) or by a handler's record() when the stream is unusable. */
  stopped = false;
  /** Offset of the record in progress. */
  private recOffset = 0;
  /** 0: reading a head (plan not yet satisfied); 1: collecting the planned head; 2: skipping; 3: collecting the tail. */
  private phase = 0;
  private head = new Uint8Array(64);
  private headLen = 0;
  /** Bytes wanted in `head` (phase 0: what plan asked for; phase 1: the planned head). */
  private headWant = 0;
  private tail = new Uint8Array(0);
  private tailLen = 0;
  private tailWant = 0;
  private skipLeft = 0;
  private total = 0;
  /** Planned tail length as the handler asked (the tail may lie inside the head). */
  private plannedTail = 0;
  private plannedTotal = 0;
  private plannedHead = 0;

  constructor(private readonly handler: RecordHandler) {}

  /** Called by the handler's plan: the record is `total` bytes; keep its first `head` and last `tail`. */
  expect(total: number, head: number, tail: number): void {
    this.plannedTotal = total;
    this.plannedHead = Math.min(head, total, MAX_KEEP);
    this.plannedTail = Math.min(tail, total, MAX_KEEP);
  }

  /** True when a record (or its header) is partly read. */
  get midRecord(): boolean {
    return this.phase !== 0 || this.headLen > 0;
  }

  /** Offset of the record in progress, and how many of its bytes have arrived. */
  progress(): { offset: number; have: number; total: number | null } {
    const have = this.pos - this.recOffset;
    return { offset: this.recOffset, have, total: this.phase === 0 ? null : this.total };
  }

  push(chunk: Uint8Array): void {
    const n = chunk.length;
    let off = 0;
    while (off < n && !this.stopped) {
      if (this.phase === 0 && this.headLen === 0) {
        off = this.fast(chunk, off);
        continue;
      }
      off = this.slow(chunk, off);
    }
    if (this.stopped) this.pos += n - off;
  }

  /** Records starting at `off` in the chunk: handled in place while they fit. Returns the new offset. */
  private fast(chunk: Uint8Array, off: number): number {
    const h = this.handler;
    const n = chunk.length;
    while (off < n) {
      const have = n - off;
      const r = h.plan(chunk, off, have, this.pos);
      if (r === STOP || (r > 0 && r <= have)) {
        this.stopped = true;
        return off;
      }
      if (r > 0) {
        // The header straddles the chunk end: keep what is here and wait for the rest.
        this.recOffset = this.pos;
        this.headWant = r;
        this.appendHead(chunk, off, have);
        this.pos += have;
        return n;
      }
      const total = this.plannedTotal;
      if (total <= have) {
        h.record(chunk, off, this.plannedHead, chunk, off + total - this.plannedTail, this.plannedTail, this.pos, total);
        off += total;
        this.pos += total;
        if (this.stopped) return off;
        continue;
      }
      // The record runs past this chunk.
      this.recOffset = this.pos;
      this.startPlanned(0);
      const take = Math.min(have, this.headWant);
      this.appendHead(chunk, off, take);
      this.pos += take;
      return this.afterHead(chunk, off + take);
    }
    return off;
  }

  private slow(chunk: Uint8Array, off: number): number {
    const n = chunk.length;
    if (this.phase === 0) {
      const take = Math.min(this.headWant - this.headLen, n - off);
      this.appendHead(chunk, off, take);
      this.pos += take;
      off += take;
      if (this.headLen < this.headWant) return off;
      const r = this.handler.plan(this.head, 0, this.headLen, this.recOffset);
      if (r === STOP || (r > 0 && r <= this.headLen)) {
        this.stopped = true;
        return off;
      }
      if (r > 0) {
        this.headWant = r;
        return off;
      }
      this.startPlanned(this.headLen);
      return this.afterHead(chunk, off);
    }
    if (this.phase === 1) {
      const take = Math.min(this.headWant - this.headLen, n - off);
      this.appendHead(chunk, off, take);
      this.pos += take;
      return this.afterHead(chunk, off + take);
    }
    if (this.phase === 2) {
      const take = Math.min(this.skipLeft, n - off);
      this.skipLeft -= take;
      this.pos += take;
      off += take;
      if (this.skipLeft === 0) this.phase = 3;
      return this.phase === 3 ? this.afterSkip(chunk, off) : off;
    }
    const take = Math.min(this.tailWant - this.tailLen, n - off);
    this.tail.set(chunk.subarray(off, off + take), this.tailLen);
    this.tailLen += take;
    this.pos += take;
    off += take;
    if (this.tailLen === this.tailWant) this.complete();
    return off;
  }

  /** Sets up phases 1-3 for the planned record, `have` bytes of which are in `head` already. */
  private startPlanned(have: number): void {
    this.total = this.plannedTotal;
    let headWant = Math.max(this.plannedHead, have);
    let tailWant = this.plannedTail;
    // Head and tail meet: keep the whole record in the head (both are bounded, so it is small).
    if (headWant + tailWant >= this.total) {
      headWant = this.total;
      tailWant = 0;
    }
    this.headWant = headWant;
    this.tailWant = tailWant;
    this.tailLen = 0;
    this.skipLeft = this.total - headWant - tailWant;
    this.phase = 1;
    if (tailWant > this.tail.length) this.tail = new Uint8Array(tailWant);
  }

  private afterHead(chunk: Uint8Array, off: number): number {
    if (this.headLen < this.headWant) return off;
    this.phase = 2;
    if (this.skipLeft > 0) return off;
    this.phase = 3;
    return this.afterSkip(chunk, off);
  }

  private afterSkip(_chunk: Uint8Array, off: number): number {
    if (this.tailLen === this.tailWant) this.complete();
    return off;
  }

  private complete(): void {
    const total = this.total;
    const t = this.plannedTail;
    if (this.tailWant > 0) this.handler.record(this.head, 0, this.headLen, this.tail, 0, this.tailLen, this.recOffset, total);
    else this.handler.record(this.head, 0, this.headLen, this.head, total - t, t, this.recOffset, total);
    this.phase = 0;
    this.headLen = 0;
    this.headWant = 0;
    this.tailLen = 0;
    // Drop big buffers a large metadata block needed; keep small ones for the next record.
    if (this.head.length > 65536) this.head = new Uint8Array(64);
    if (this.tail.length > 65536) this.tail = new Uint8Array(0);
  }

  private appendHead(src: Uint8Array, off: number, len: number): void {
    const need = this.headLen + len;
    if (need > this.head.length) {
      let size = this.head.length;
      while (size < need) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.head.subarray(0, this.headLen));
      this.head = grown;
    }
    this.head.set(src.subarray(off, off + len), this.headLen);
    this.headLen = need;
  }
}
