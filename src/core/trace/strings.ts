/**
 * The string table: every distinct comm, event name, flag column and so on is stored once
 * and referred to by a small integer id.
 *
 * Readers intern straight from the bytes they are scanning (`internBytes`), so the hot path
 * decodes a name to a JS string only the first time it is seen.
 *
 * The names come from the file (comm, event names), so an attacker chooses them: the table
 * hashes with a keyed hash under a random per-process key (keyed-hash.ts), so nobody can pick
 * names that pile up in one probe sequence. (It used unseeded FNV-1a: 20 k chosen names took
 * 15,000 probes per lookup instead of ~1, and a 4.9 MB trace of them 88 s; see
 * test/helpers/fnv-collisions.ts.) A `Map<string, number>` alone would be as safe but
 * needs the bytes decoded on every lookup: about 4x slower on the hot path (bench/strings).
 */
import { halfSipHash13, randomHashKey } from './keyed-hash';
import { STRING_OVERHEAD_BYTES, type MemoryBudget } from './memory-budget';

const utf8 = new TextDecoder('utf-8');

const KEY = randomHashKey();
const K0 = KEY[0] as number;
const K1 = KEY[1] as number;

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  return halfSipHash13(buf, start, end, K0, K1);
}

/** Entries of StringTable's recent-name cache (a power of two). */
const RECENT_SLOTS = 256;

/** The recent-name cache's index of a non-empty name: its length and first, middle and last bytes. */
function recentIndex(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  return (len * 97 + (buf[start] as number) * 31 + (buf[start + (len >>> 1)] as number) * 7 + (buf[end - 1] as number)) & (RECENT_SLOTS - 1);
}

/** Whether `b` holds exactly the `len` bytes of `buf` from `start`. */
function sameBytes(b: Uint8Array, buf: Uint8Array, start: number, len: number): boolean {
  if (b.length !== len) return false;
  for (let i = 0; i < len; i++) if (b[i] !== buf[start + i]) return false;
  return true;
}

export class StringTable {
  private readonly strings: string[] = [];
  private readonly byString = new Map<string, number>();
  /** Open-addressing table of ids (+1; 0 = empty) keyed by the hash of each string's UTF-8 bytes. */
  private slots = new Int32Array(1024);
  private readonly bytesOf: Uint8Array[] = [];
  private readonly hashOf: number[] = [];
  /** Slots visited by lookups and inserts: a work measure (about one per call unless names collide). */
  probes = 0;
  /**
   * Ids (+1; 0 = none) of names interned lately, by a cheap index of their bytes (recentIndex):
   * the same few flags, event names and comms recur line after line, and finding them here skips
   * the keyed hash (a third of internBytes' time). The bytes are compared in full, so the index
   * only says where to look: names chosen to share an index just miss here and go to the keyed
   * table, at the cost of one comparison; they can neither answer wrongly nor pile up.
   */
  private readonly recent = new Int32Array(RECENT_SLOTS);

  /** `budget`: where the table's (estimated) heap bytes are counted while a file is read. */
  constructor(private readonly budget: MemoryBudget | null = null) {}

  get size(): number {
    return this.strings.length;
  }

  get(id: number): string {
    const s = this.strings[id];
    if (s === undefined) throw new RangeError(`string id ${id} out of range`);
    return s;
  }

  /** Id of `s`, or -1 when it was never interned. */
  find(s: string): number {
    return this.byString.get(s) ?? -1;
  }

  intern(s: string): number {
    const known = this.byString.get(s);
    if (known !== undefined) return known;
    const bytes = new TextEncoder().encode(s);
    return this.add(s, bytes, hashBytes(bytes, 0, bytes.length));
  }

  internBytes(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len === 0) return this.internKeyed(buf, start, end);
    const r = recentIndex(buf, start, end);
    const seen = (this.recent[r] as number) - 1;
    if (seen >= 0 && sameBytes(this.bytesOf[seen] as Uint8Array, buf, start, len)) return seen;
    const id = this.internKeyed(buf, start, end);
    this.recent[r] = id + 1;
    return id;
  }

  /** internBytes through the keyed table. */
  private internKeyed(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const mask = this.slots.length - 1;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      this.probes++;
      const entry = this.slots[slot] as number;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashOf[id] !== h) continue;
      if (sameBytes(this.bytesOf[id] as Uint8Array, buf, start, len)) return id;
    }
    const bytes = buf.slice(start, end);
    const s = utf8.decode(bytes);
    // Two byte sequences can decode to one string (invalid UTF-8 becomes U+FFFD): keep one id
    // per string. Such bytes are rare and are simply decoded again next time.
    const known = this.byString.get(s);
    if (known !== undefined) return known;
    return this.add(s, bytes, h);
  }

  private add(s: string, bytes: Uint8Array, h: number): number {
    if (this.budget) this.budget.stringBytes += STRING_OVERHEAD_BYTES + 2 * bytes.length;
    const id = this.strings.length;
    this.strings.push(s);
    this.byString.set(s, id);
    this.bytesOf.push(bytes);
    this.hashOf.push(h);
    this.insertSlot(h, id);
    return id;
  }

  private insertSlot(h: number, id: number): void {
    // Keep the load factor under 1/2 so probe sequences stay short.
    if ((this.bytesOf.length + 1) * 2 > this.slots.length) this.rehash();
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] !== 0) {
      slot = (slot + 1) & mask;
      this.probes++;
    }
    this.slots[slot] = id + 1;
  }

  private rehash(): void {
    const next = new Int32Array(this.slots.length * 2);
    const mask = next.length - 1;
    for (const entry of this.slots) {
      if (entry === 0) continue;
      let slot = (this.hashOf[entry - 1] as number) & mask;
      while (next[slot] !== 0) slot = (slot + 1) & mask;
      next[slot] = entry;
    }
    this.slots = next;
  }
}
