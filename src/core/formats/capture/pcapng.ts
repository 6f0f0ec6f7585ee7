/**
 * pcapng reader.
 *
 * Spec: draft-ietf-opsawg-pcapng ("PCAP Now Generic (pcapng) Capture File Format"), link types
 * from https://www.tcpdump.org/linktypes.html. Every block: type u32, total length u32, body,
 * total length u32 again; lengths are multiples of 4. A Section Header Block (0x0A0D0D0A, a
 * palindrome) starts each section and fixes its byte order through the byte-order magic
 * 0x1A2B3C4D; interface ids are per section. Blocks read:
 *   SHB (0x0A0D0D0A)  version 1.0, shb_hardware/os/userappl, comments
 *   IDB (1)           link type, snaplen; if_name, if_description, if_IPv4addr/IPv6addr,
 *                     if_tsresol (default 10^-6), if_tsoffset, if_filter, if_os, if_hardware, comments
 *   EPB (6)           interface, 64-bit timestamp, captured/original length; epb_flags
 *                     (direction), comments
 *   SPB (3)           original length only: interface 0, no timestamp (the previous packet's
 *                     time is used, as Wireshark shows it), captured = min(original, snaplen, block)
 *   OPB (2)           the obsolete Packet Block (16-bit interface id)
 *   NRB (4)           IPv4/IPv6 address -> names
 *   ISB (5)           isb_ifrecv, isb_ifdrop, ... kept per interface
 *   DSB (0x0A)        decryption secrets: counted, contents not kept
 * Any other block type is skipped by its length (custom blocks 0x00000BAD/0x40000BAD included).
 *
 * Damage: a block length that is not a multiple of 4, below 12, or not repeated at the block's
 * end leaves no reliable way to the next block, so reading stops there with an issue naming the
 * offset; everything read before is kept. A section with an unsupported version is skipped up to
 * the next SHB. Nothing is allocated from a length in the file beyond a bounded head and tail.
 */
import type { ByteSource } from '../../trace/byte-source';
import type { Trace } from '../../trace/trace';
import type { TraceReader } from '../reader';
import { CaptureSink, CLASSIFY_BYTES, TimestampUnit, optionText, type CaptureInterface } from './common';
import { PLANNED, RecordPump, STOP, type RecordHandler } from './pump';
import { ipv4, ipv6 } from '../../net/bytes';

const SHB = 0x0a0d0d0a;
const BOM = 0x1a2b3c4d;
const IDB = 1;
const OPB = 2;
const SPB = 3;
const NRB = 4;
const ISB = 5;
const EPB = 6;
const DSB = 0x0a;

const BLOCK_NAMES: Record<number, string> = {
  [SHB]: 'SHB',
  [IDB]: 'IDB',
  [OPB]: 'OPB',
  [SPB]: 'SPB',
  [NRB]: 'NRB',
  [ISB]: 'ISB',
  [EPB]: 'EPB',
  [DSB]: 'DSB',
  0x00000bad: 'CB',
  0x40000bad: 'DCB',
  0x80000001: 'Darwin process info',
  0x00000204: 'systemd journal export',
};

/** Metadata blocks (SHB, IDB, NRB, ISB, ...) larger than this are skipped with an issue. */
const MAX_META_BLOCK = 1 << 20;
/** Packet block options larger than this are not read (the packet is kept). */
const MAX_PACKET_OPTIONS = 64 * 1024;

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

export function sniffPcapng(head: Uint8Array): string | null {
  if (head.length < 12) return 'shorter than a pcapng section header';
  const t = ((head[0] as number) << 24) | ((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number);
  if (t >>> 0 !== SHB) return 'does not start with a pcapng Section Header Block (0a0d0d0a)';
  const be = ((((head[8] as number) << 24) | ((head[9] as number) << 16) | ((head[10] as number) << 8) | (head[11] as number)) >>> 0) === BOM;
  const le = ((head[8] as number) | ((head[9] as number) << 8) | ((head[10] as number) << 16) | ((head[11] as number) << 24)) >>> 0 === BOM;
  return be || le ? null : 'pcapng section header without the byte-order magic 1a2b3c4d';
}

interface SectionState {
  little: boolean;
  skip: boolean;
  /** Local interface id -> interface. */
  readonly interfaces: CaptureInterface[];
  readonly units: TimestampUnit[];
}

export class PcapngReader implements TraceReader, RecordHandler {
  private readonly sink = new CaptureSink('pcapng');
  private readonly pump = new RecordPump(this);
  private section: SectionState | null = null;
  private stopMessage: string | null = null;
  private readonly ts = new Float64Array(2);
  /** Time of the last packet with a timestamp (SPBs have none). */
  private lastSec = 0;
  private lastFracNs = 0;
  private readonly blockCounts = new Map<number, number>();
  /** Interfaces already reported for packets longer than their snaplen. */
  private readonly overSnaplen = new Set<number>();

  push(chunk: Uint8Array): void {
    if (this.stopMessage === null) this.pump.push(chunk);
    else this.pump.pos += chunk.length;
  }

  stop(message: string): void {
    if (this.stopMessage !== null) return;
    this.stopMessage = message;
    this.sink.issue(0, this.pump.pos, message);
  }

  finish(source: ByteSource | null): Trace {
    if (this.stopMessage === null && !this.pump.stopped && this.pump.midRecord) {
      const p = this.pump.progress();
      const what = p.total === null ? `a block header (${p.have} bytes of it)` : `a ${p.total}-byte block (${p.have} bytes of it)`;
      this.sink.issue(this.sink.packets + 1, p.offset, `the file ends at byte offset ${this.pump.pos} inside ${what} that starts at byte offset ${p.offset}`);
    }
    if (this.pump.pos === 0) this.sink.issue(0, 0, 'the file is empty');
    for (const [type, n] of this.blockCounts) this.sink.block(BLOCK_NAMES[type] ?? `block type ${hex32(type)}`, n);
    return this.sink.finish(source, this.pump.pos);
  }

  snapshot(source: ByteSource | null): Trace {
    return this.sink.snapshot(source, this.pump.pos);
  }

  private u32(b: Uint8Array, off: number, little: boolean): number {
    return little
      ? ((b[off] as number) | ((b[off + 1] as number) << 8) | ((b[off + 2] as number) << 16) | ((b[off + 3] as number) << 24)) >>> 0
      : (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
  }

  private u16(b: Uint8Array, off: number, little: boolean): number {
    return little ? (b[off] as number) | ((b[off + 1] as number) << 8) : ((b[off] as number) << 8) | (b[off + 1] as number);
  }

  private fail(packet: number, offset: number, message: string): number {
    this.sink.issue(packet, offset, message);
    return STOP;
  }

  plan(b: Uint8Array, s: number, have: number, offset: number): number {
    if (have < 12) return 12;
    const typeBE = this.u32(b, s, false);
    let little: boolean;
    if (typeBE === SHB) {
      const bomBE = this.u32(b, s + 8, false);
      if (bomBE === BOM) little = false;
      else if (this.u32(b, s + 8, true) === BOM) little = true;
      else return this.fail(0, offset + 8, `section header block at byte offset ${offset}: byte-order magic ${hex32(bomBE)} is neither 1a2b3c4d nor 4d3c2b1a`);
    } else {
      if (!this.section) return this.fail(0, offset, `not a pcapng file: the first block (type ${hex32(typeBE)}) is not a Section Header Block`);
      little = this.section.little;
    }
    const type = typeBE === SHB ? SHB : this.u32(b, s, little);
    const len = this.u32(b, s + 4, little);
    const name = BLOCK_NAMES[type] ?? `block type ${hex32(type)}`;
    if (len < 12 || len % 4 !== 0) {
      return this.fail(this.sink.packets + 1, offset + 4, `${name} at byte offset ${offset}: block length ${len} is ${len < 12 ? 'less than 12' : 'not a multiple of 4'}; cannot find the next block`);
    }
    if (type === EPB || type === OPB) {
      if (len < 32) return this.planWhole(len);
      if (have < 28) return 28;
      const caplen = this.u32(b, s + 20, little);
      const dataEnd = 28 + caplen + ((4 - (caplen % 4)) % 4);
      const tail = dataEnd <= len - 4 && len - dataEnd <= MAX_PACKET_OPTIONS + 4 ? len - dataEnd : 4;
      this.pump.expect(len, 28 + Math.min(caplen, CLASSIFY_BYTES, len - 32), tail);
      return PLANNED;
    }
    if (type === SPB) {
      if (len < 16) return this.planWhole(len);
      this.pump.expect(len, 12 + Math.min(CLASSIFY_BYTES, len - 16), 4);
      return PLANNED;
    }
    if (len <= MAX_META_BLOCK) return this.planWhole(len);
    this.pump.expect(len, 28, 4);
    return PLANNED;
  }

  private planWhole(len: number): number {
    this.pump.expect(len, len, 0);
    return PLANNED;
  }

  record(b: Uint8Array, s: number, headLen: number, t: Uint8Array, ts: number, tl: number, offset: number, total: number): void {
    const typeBE = this.u32(b, s, false);
    if (typeBE === SHB) {
      this.sectionHeader(b, s, headLen, offset, total);
      return;
    }
    const sec = this.section as SectionState;
    const little = sec.little;
    const type = this.u32(b, s, little);
    // The trailing copy of the length: the last 4 bytes of the block (in the tail, or in the head when it holds the whole block).
    const trailer = tl >= 4 ? this.u32(t, ts + tl - 4, little) : headLen >= total ? this.u32(b, s + total - 4, little) : total;
    // Counted by number here, named once at the end (this runs once per packet).
    this.blockCounts.set(type, (this.blockCounts.get(type) ?? 0) + 1);
    if (trailer !== total) {
      const name = BLOCK_NAMES[type] ?? `block type ${hex32(type)}`;
      this.sink.issue(this.sink.packets + 1, offset + total - 4, `${name} at byte offset ${offset}: trailing block length ${trailer} differs from the leading ${total}; the file is damaged from here`);
      this.pump.stopped = true;
      return;
    }
    if (sec.skip) return;
    const whole = headLen >= total;
    switch (type) {
      case EPB:
      case OPB:
        return this.packetBlock(type, b, s, headLen, t, ts, tl, offset, total);
      case SPB:
        return this.simplePacket(b, s, headLen, offset, total);
      case IDB:
        if (whole) this.interfaceBlock(b, s, offset, total);
        else this.sink.issue(0, offset, `IDB at byte offset ${offset} is ${total} bytes (over ${MAX_META_BLOCK}); skipped`);
        return;
      case NRB:
        if (whole) this.nameBlock(b, s, offset, total);
        return;
      case ISB:
        if (whole) this.statsBlock(b, s, offset, total);
        return;
      default:
        if (!whole && total > MAX_META_BLOCK) this.sink.issue(0, offset, `${BLOCK_NAMES[type] ?? `block type ${hex32(type)}`} at byte offset ${offset} is ${total} bytes; skipped`);
    }
  }

  /** Walks options in [off, end): calls fn(code, valueOffset, length). Returns false when they overrun. */
  private options(b: Uint8Array, off: number, end: number, little: boolean, where: string, offset: number, fn: (code: number, v: number, len: number) => void): void {
    let p = off;
    while (p + 4 <= end) {
      const code = this.u16(b, p, little);
      const len = this.u16(b, p + 2, little);
      if (code === 0) return;
      if (p + 4 + len > end) {
        this.sink.issue(this.sink.packets, offset + (p - off), `${where}: option ${code} of ${len} bytes runs past the end of the block; the remaining options are ignored`);
        return;
      }
      fn(code, p + 4, len);
      p += 4 + len + ((4 - (len % 4)) % 4);
    }
  }

  private sectionHeader(b: Uint8Array, s: number, headLen: number, offset: number, total: number): void {
    const little = this.u32(b, s + 8, true) === BOM;
    this.sink.block('SHB');
    const trailer = headLen >= total ? this.u32(b, s + total - 4, little) : total;
    if (trailer !== total) {
      this.sink.issue(0, offset + total - 4, `SHB at byte offset ${offset}: trailing block length ${trailer} differs from the leading ${total}; the file is damaged from here`);
      this.pump.stopped = true;
      return;
    }
    const major = total >= 16 ? this.u16(b, s + 12, little) : 0;
    const minor = total >= 16 ? this.u16(b, s + 14, little) : 0;
    const version = `${major}.${minor}`;
    // 1.0 is the only version; 1.2 was written by early tools and is read the same way.
    const skip = !(major === 1 && (minor === 0 || minor === 2));
    const comments: string[] = [];
    let hardware: string | null = null;
    let os: string | null = null;
    let userAppl: string | null = null;
    if (skip) {
      this.sink.issue(this.sink.packets, offset + 12, `SHB at byte offset ${offset}: unsupported pcapng version ${version}; the section is skipped`);
    } else if (headLen >= total && total >= 28) {
      this.options(b, s + 24, s + total - 4, little, `SHB at byte offset ${offset}`, offset + 24, (code, v, len) => {
        const text = optionText(b, v, len);
        if (code === 1) comments.push(text);
        else if (code === 2) hardware = text;
        else if (code === 3) os = text;
        else if (code === 4) userAppl = text;
      });
    }
    const info = this.sink.info;
    if (info.sections.length === 0) {
      info.byteOrder = little ? 'little' : 'big';
      info.version = version;
    }
    info.sections.push({ offset, byteOrder: little ? 'little' : 'big', version, hardware, os, userAppl, comments, skipped: skip });
    this.section = { little, skip, interfaces: [], units: [] };
  }

  private interfaceBlock(b: Uint8Array, s: number, offset: number, total: number): void {
    const sec = this.section as SectionState;
    const little = sec.little;
    if (total < 20) {
      this.sink.issue(0, offset, `IDB at byte offset ${offset}: ${total} bytes is too short for an interface description`);
      return;
    }
    const linkType = this.u16(b, s + 8, little);
    const snaplen = this.u32(b, s + 12, little);
    let name: string | null = null;
    let description: string | null = null;
    let tsresol = 6;
    let tsOffsetSec = 0;
    let filter: string | null = null;
    let os: string | null = null;
    let hardware: string | null = null;
    const addresses: string[] = [];
    const comments: string[] = [];
    this.options(b, s + 16, s + total - 4, little, `IDB at byte offset ${offset}`, offset + 16, (code, v, len) => {
      if (code === 1) comments.push(optionText(b, v, len));
      else if (code === 2) name = optionText(b, v, len);
      else if (code === 3) description = optionText(b, v, len);
      else if (code === 4 && len === 8) addresses.push(`${ipv4(b, v)}/${ipv4(b, v + 4)}`);
      else if (code === 5 && len === 17) addresses.push(`${ipv6(b, v)}/${b[v + 16]}`);
      else if (code === 9 && len >= 1) tsresol = b[v] as number;
      else if (code === 11 && len >= 1) filter = optionText(b, v + 1, len - 1);
      else if (code === 12) os = optionText(b, v, len);
      else if (code === 14 && len === 8) {
        const lo = this.u32(b, little ? v : v + 4, little);
        const hi = this.u32(b, little ? v + 4 : v, little);
        // Signed 64-bit seconds; |offset| < 2^53 in any real file.
        tsOffsetSec = (hi | 0) * 4294967296 + lo;
      } else if (code === 15) hardware = optionText(b, v, len);
    });
    if ((tsresol & 0x7f) > 63 || (!(tsresol & 0x80) && tsresol > 18)) {
      this.sink.issue(0, offset, `IDB at byte offset ${offset}: if_tsresol ${tsresol} is out of range; using microseconds`);
      tsresol = 6;
    }
    const unit = new TimestampUnit(tsresol);
    const iface = this.sink.addInterface({
      section: this.sink.info.sections.length - 1,
      localId: sec.interfaces.length,
      name,
      description,
      linkType,
      snaplen,
      tsresol: unit.text,
      tsOffsetSec,
      filter,
      os,
      hardware,
      addresses,
      comments,
    });
    sec.interfaces.push(iface);
    sec.units.push(unit);
  }

  private packetBlock(type: number, b: Uint8Array, s: number, headLen: number, t: Uint8Array, ts: number, tl: number, offset: number, total: number): void {
    const sec = this.section as SectionState;
    const little = sec.little;
    const number = this.sink.packets + 1;
    const name = type === EPB ? 'EPB' : 'OPB';
    if (total < 32) {
      this.sink.issue(number, offset, `${name} at byte offset ${offset}: ${total} bytes is too short for a packet block; skipped`);
      return;
    }
    const ifId = type === EPB ? this.u32(b, s + 8, little) : this.u16(b, s + 8, little);
    const iface = sec.interfaces[ifId];
    if (!iface) {
      this.sink.issue(number, offset + 8, `${name} at byte offset ${offset}: interface ${ifId} is not described in this section (${sec.interfaces.length} interfaces); skipped`);
      return;
    }
    const unit = sec.units[ifId] as TimestampUnit;
    unit.split(this.u32(b, s + 12, little), this.u32(b, s + 16, little), this.ts);
    const tsSec = (this.ts[0] as number) + iface.tsOffsetSec;
    const fracNs = this.ts[1] as number;
    let caplen = this.u32(b, s + 20, little);
    const origLen = this.u32(b, s + 24, little);
    if (caplen > total - 32) {
      this.sink.issue(number, offset + 20, `${name} at byte offset ${offset}: captured length ${caplen} does not fit in the ${total}-byte block; using ${total - 32}`);
      caplen = total - 32;
    }
    if (caplen > origLen) this.sink.issue(number, offset + 20, `packet ${number}: captured length ${caplen} exceeds original length ${origLen}`);
    // More bytes than the interface's snaplen: use the first snaplen of them, as Wireshark does.
    const dataCaplen = caplen;
    if (iface.snaplen > 0 && caplen > iface.snaplen) {
      if (!this.overSnaplen.has(iface.index)) {
        this.overSnaplen.add(iface.index);
        this.sink.issue(number, offset + 20, `packet ${number}: captured length ${caplen} exceeds the snaplen ${iface.snaplen} of interface ${iface.name}; the first ${iface.snaplen} bytes are used (reported once per interface)`);
      }
      caplen = iface.snaplen;
    }
    let direction = 0;
    const dataEnd = 28 + dataCaplen + ((4 - (dataCaplen % 4)) % 4);
    const optLen = total - 4 - dataEnd;
    // Options are in the tail when it holds them all (or in the head when that holds the block).
    if (optLen > 0) {
      let ob: Uint8Array | null = null;
      let oo = 0;
      if (headLen >= total) {
        ob = b;
        oo = s + dataEnd;
      } else if (tl === optLen + 4) {
        ob = t;
        oo = ts;
      }
      if (ob) {
        const buf = ob;
        this.options(buf, oo, oo + optLen, little, `${name} at byte offset ${offset}`, offset + dataEnd, (code, v, len) => {
          if (code === 1) this.sink.comment(number - 1, optionText(buf, v, len));
          else if (code === 2 && len === 4 && type === EPB) direction = this.u32(buf, v, little) & 3;
        });
      } else {
        this.sink.issue(number, offset + dataEnd, `${name} at byte offset ${offset}: ${optLen} bytes of options not read`);
      }
    }
    if (direction === 3) direction = 0;
    this.lastSec = tsSec;
    this.lastFracNs = fracNs;
    this.sink.packet(iface, tsSec, fracNs, caplen, origLen, offset + 28, b, s + 28, s + Math.min(headLen, 28 + caplen), direction);
  }

  private simplePacket(b: Uint8Array, s: number, headLen: number, offset: number, total: number): void {
    const sec = this.section as SectionState;
    const number = this.sink.packets + 1;
    const iface = sec.interfaces[0];
    if (!iface) {
      this.sink.issue(number, offset, `SPB at byte offset ${offset}: the section has no interface 0; skipped`);
      return;
    }
    if (total < 16) {
      this.sink.issue(number, offset, `SPB at byte offset ${offset}: ${total} bytes is too short; skipped`);
      return;
    }
    const origLen = this.u32(b, s + 8, sec.little);
    let caplen = Math.min(origLen, total - 16);
    if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
    this.sink.packet(iface, this.lastSec, this.lastFracNs, caplen, origLen, offset + 12, b, s + 12, s + Math.min(headLen, 12 + caplen), 0);
  }

  private nameBlock(b: Uint8Array, s: number, offset: number, total: number): void {
    const little = (this.section as SectionState).little;
    let p = s + 8;
    const end = s + total - 4;
    while (p + 4 <= end) {
      const type = this.u16(b, p, little);
      const len = this.u16(b, p + 2, little);
      if (type === 0) return;
      if (p + 4 + len > end) {
        this.sink.issue(0, offset + (p - s), `NRB at byte offset ${offset}: record of ${len} bytes runs past the block`);
        return;
      }
      const v = p + 4;
      const alen = type === 1 ? 4 : type === 2 ? 16 : -1;
      if (alen > 0 && len > alen) {
        const names = optionText(b, v + alen, len - alen)
          .split('\0')
          .filter((n) => n.length > 0);
        this.sink.name(type === 1 ? ipv4(b, v) : ipv6(b, v), names);
      }
      p = v + len + ((4 - (len % 4)) % 4);
    }
  }

  private statsBlock(b: Uint8Array, s: number, offset: number, total: number): void {
    const sec = this.section as SectionState;
    const little = sec.little;
    if (total < 24) return;
    const iface = sec.interfaces[this.u32(b, s + 8, little)];
    if (!iface) {
      this.sink.issue(0, offset, `ISB at byte offset ${offset}: unknown interface ${this.u32(b, s + 8, little)}`);
      return;
    }
    const names: Record<number, string> = { 4: 'ifrecv', 5: 'ifdrop', 6: 'filteraccept', 7: 'osdrop', 8: 'usrdeliv' };
    const stats: Record<string, string> = {};
    this.options(b, s + 20, s + total - 4, little, `ISB at byte offset ${offset}`, offset + 20, (code, v, len) => {
      const key = names[code];
      if (key && len === 8) {
        const hi = this.u32(b, little ? v + 4 : v, little);
        const lo = this.u32(b, little ? v : v + 4, little);
        stats[key] = ((BigInt(hi) << 32n) | BigInt(lo)).toString();
      } else if (code === 1) stats.comment = optionText(b, v, len);
    });
    iface.stats = stats;
  }
}
