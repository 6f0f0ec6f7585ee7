/**
 * Classic pcap reader.
 *
 * Spec: draft-ietf-opsawg-pcap ("PCAP Capture File Format"), and the link-type registry at
 * https://www.tcpdump.org/linktypes.html. File header (24 bytes): magic, version 2.4,
 * reserved x2, snaplen, LinkType + FCS bits (low 16 bits: link type; bits 28-31: FCS length).
 * Magic 0xA1B2C3D4 = microsecond timestamps, 0xA1B23C4D = nanosecond, in the writer's byte
 * order (the swapped values mean the other order). Packet records: ts seconds, ts fraction,
 * captured length, original length (16 bytes), then the captured bytes.
 * Also read: the "modified" format of Alexey Kuznetsov's patched libpcap (magic 0xA1B2CD34,
 * records 24 bytes: + ifindex u32, protocol u16, pkt_type u8, pad u8).
 *
 * Damage: a record whose captured length is beyond any real snaplen cannot be trusted to
 * find the next record, so reading stops there with an issue; everything before is kept. A
 * record cut short by the end of the file is reported and dropped.
 */
import type { ByteSource } from '../../trace/byte-source';
import type { Trace } from '../../trace/trace';
import type { TraceReader } from '../reader';
import { CaptureSink, CLASSIFY_BYTES, type CaptureInterface } from './common';
import { PLANNED, RecordPump, STOP, type RecordHandler } from './pump';

const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
const MAGIC_MODIFIED = 0xa1b2cd34;

/** libpcap's largest snaplen (MAXIMUM_SNAPLEN); records claiming more than this and the file's snaplen are damage. */
export const MAX_PCAP_CAPLEN = 262144;

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function magicOf(b: Uint8Array, off: number): { magic: number; little: boolean } | null {
  const be = (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
  for (const m of [MAGIC_US, MAGIC_NS, MAGIC_MODIFIED]) {
    if (be === m) return { magic: m, little: false };
    if (swap32(be) === m) return { magic: m, little: true };
  }
  return null;
}

export function sniffPcap(head: Uint8Array): string | null {
  if (head.length < 4) return 'shorter than a pcap magic number';
  return magicOf(head, 0) ? null : 'no pcap magic number (a1b2c3d4 / a1b23c4d / a1b2cd34)';
}

export class PcapReader implements TraceReader, RecordHandler {
  private readonly sink = new CaptureSink('pcap');
  private readonly pump = new RecordPump(this);
  private headerDone = false;
  private little = true;
  private recHeader = 16;
  private nsPerFrac = 1000;
  private snaplen = 0;
  private iface: CaptureInterface | null = null;
  private stopMessage: string | null = null;

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
    if (this.stopMessage === null && !this.pump.stopped) {
      const p = this.pump.progress();
      if (!this.headerDone) {
        this.sink.issue(0, 0, `the file ends after ${this.pump.pos} bytes, inside the 24-byte pcap file header`);
      } else if (this.pump.midRecord) {
        const what = p.total === null ? `record header (${p.have} of ${this.recHeader} bytes)` : `packet record (${p.have} of ${p.total} bytes)`;
        this.sink.issue(this.sink.packets + 1, p.offset, `the file ends inside a ${what} at byte offset ${p.offset}; the packet is dropped`);
      }
    }
    return this.sink.finish(source, this.pump.pos);
  }

  snapshot(source: ByteSource | null): Trace {
    return this.sink.snapshot(source, this.pump.pos);
  }

  private u32(b: Uint8Array, off: number): number {
    return this.little
      ? ((b[off] as number) | ((b[off + 1] as number) << 8) | ((b[off + 2] as number) << 16) | ((b[off + 3] as number) << 24)) >>> 0
      : (((b[off] as number) << 24) | ((b[off + 1] as number) << 16) | ((b[off + 2] as number) << 8) | (b[off + 3] as number)) >>> 0;
  }

  private u16(b: Uint8Array, off: number): number {
    return this.little ? (b[off] as number) | ((b[off + 1] as number) << 8) : ((b[off] as number) << 8) | (b[off + 1] as number);
  }

  plan(b: Uint8Array, s: number, have: number, offset: number): number {
    if (!this.headerDone) {
      if (have < 24) return 24;
      return this.fileHeader(b, s) ? (this.pump.expect(24, 24, 0), PLANNED) : STOP;
    }
    const h = this.recHeader;
    if (have < h) return h;
    const caplen = this.u32(b, s + 8);
    if (caplen > MAX_PCAP_CAPLEN && caplen > this.snaplen) {
      this.sink.issue(
        this.sink.packets + 1,
        offset,
        `record at byte offset ${offset}: captured length ${caplen} is larger than any snaplen (file snaplen ${this.snaplen}, maximum ${MAX_PCAP_CAPLEN}); the file is damaged from here`,
      );
      return STOP;
    }
    this.pump.expect(h + caplen, h + Math.min(caplen, CLASSIFY_BYTES), 0);
    return PLANNED;
  }

  record(b: Uint8Array, s: number, headLen: number, _t: Uint8Array, _ts: number, _tl: number, offset: number, total: number): void {
    if (!this.headerDone) {
      this.headerDone = true;
      return;
    }
    const sec = this.u32(b, s);
    const frac = this.u32(b, s + 4);
    const caplen = total - this.recHeader;
    const origLen = this.u32(b, s + 12);
    const number = this.sink.packets + 1;
    if (caplen > origLen) this.sink.issue(number, offset, `packet ${number}: captured length ${caplen} exceeds original length ${origLen}`);
    if (frac >= 1e9 / this.nsPerFrac) this.sink.issue(number, offset, `packet ${number}: sub-second timestamp field ${frac} is out of range`);
    let direction = 0;
    if (this.recHeader === 24) {
      // Kuznetsov: pkt_type 4 = outgoing (as in SLL).
      const pkttype = b[s + 22] as number;
      direction = pkttype === 4 ? 2 : 1;
    }
    const data = s + this.recHeader;
    this.sink.packet(this.iface as CaptureInterface, sec, frac * this.nsPerFrac, caplen, origLen, offset + this.recHeader, b, data, s + headLen, direction);
  }

  private fileHeader(b: Uint8Array, s: number): boolean {
    const m = magicOf(b, s);
    if (!m) {
      this.sink.issue(0, 0, 'not a pcap file: the first 4 bytes are not a pcap magic number');
      return false;
    }
    this.little = m.little;
    const info = this.sink.info;
    info.byteOrder = m.little ? 'little' : 'big';
    info.nanosecond = m.magic === MAGIC_NS;
    info.modified = m.magic === MAGIC_MODIFIED;
    this.nsPerFrac = info.nanosecond ? 1 : 1000;
    this.recHeader = info.modified ? 24 : 16;
    const major = this.u16(b, s + 4);
    const minor = this.u16(b, s + 6);
    info.version = `${major}.${minor}`;
    if (major !== 2) {
      this.sink.issue(0, 4, `unsupported pcap version ${major}.${minor} (only 2.x is defined)`);
      return false;
    }
    if (minor !== 4) this.sink.issue(0, 6, `pcap version ${major}.${minor}: expected 2.4; reading it as 2.4`);
    this.snaplen = this.u32(b, s + 16);
    const ltField = this.u32(b, s + 20);
    const linkType = ltField & 0xffff;
    const reserved = (ltField >>> 16) & 0x0fff;
    if (reserved !== 0) this.sink.issue(0, 20, `link type field 0x${ltField.toString(16)}: reserved bits are not zero; using link type ${linkType}`);
    this.iface = this.sink.addInterface({
      section: 0,
      localId: 0,
      name: null,
      description: null,
      linkType,
      snaplen: this.snaplen,
      tsresol: info.nanosecond ? '10^-9' : '10^-6',
      tsOffsetSec: 0,
      filter: null,
      os: null,
      hardware: null,
      addresses: [],
      comments: [],
    });
    return true;
  }
}
