/**
 * Deep checks of the packet replies before they are drawn (the guard in src/protocol only
 * looks at the envelope): the hex view and the tree index the bytes by these offsets, so every
 * range must lie inside what the message itself says was captured. Strings stay untrusted.
 */
import { MAX_FINDINGS, MAX_PACKET_BYTES, type CaptureFinding, type JourneyHopView, type PacketDetails, type PacketFieldView, type PacketJourney, type PacketLayerView } from '../src/protocol/messages';

/** More fields than any real packet has (a 64 KiB packet of 4-byte OSPF neighbours is 16 K). */
const MAX_FIELDS = 20_000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isRange(v: Record<string, unknown>, caplen: number): boolean {
  return isIndex(v.offset) && isIndex(v.length) && v.offset + v.length <= caplen;
}

function isField(v: unknown, caplen: number): v is PacketFieldView {
  return isRecord(v) && typeof v.name === 'string' && typeof v.value === 'string' && isRange(v, caplen);
}

function isLayer(v: unknown, caplen: number): v is PacketLayerView {
  return isRecord(v) && typeof v.name === 'string' && isRange(v, caplen) && Array.isArray(v.fields) && v.fields.every((f) => isField(f, caplen));
}

export function isPacketDetails(v: unknown): v is PacketDetails {
  if (!isRecord(v)) return false;
  const { index, number, caplen, len, bytes, layers, problems } = v;
  if (!isIndex(index) || !isIndex(number) || !isIndex(caplen) || !isIndex(len)) return false;
  if (typeof v.interface !== 'string' || typeof v.linkType !== 'string' || typeof v.summary !== 'string') return false;
  if (!(bytes instanceof Uint8Array) || bytes.length !== Math.min(caplen, MAX_PACKET_BYTES)) return false;
  if (!Array.isArray(layers) || layers.reduce((n: number, l: unknown) => n + (isRecord(l) && Array.isArray(l.fields) ? l.fields.length : 0), 0) > MAX_FIELDS) return false;
  if (!layers.every((l) => isLayer(l, caplen))) return false;
  return Array.isArray(problems) && problems.every((p) => isRecord(p) && typeof p.kind === 'string' && typeof p.message === 'string' && isIndex(p.offset));
}

export function isCaptureFindings(v: unknown): v is readonly CaptureFinding[] {
  return (
    Array.isArray(v) &&
    v.length <= MAX_FINDINGS &&
    v.every(
      (f) =>
        isRecord(f) &&
        typeof f.kind === 'string' &&
        (f.severity === 'error' || f.severity === 'warning' || f.severity === 'note') &&
        (f.packet === null || (isIndex(f.packet) && f.packet >= 1)) &&
        typeof f.message === 'string',
    )
  );
}

function isHop(v: unknown): v is JourneyHopView {
  return (
    isRecord(v) &&
    typeof v.file === 'string' &&
    typeof v.interface === 'string' &&
    isIndex(v.packet) &&
    typeof v.timeNs === 'string' &&
    /^-?\d{1,30}$/.test(v.timeNs) &&
    typeof v.what === 'string' &&
    typeof v.direction === 'string' &&
    typeof v.here === 'boolean'
  );
}

export function isPacketJourney(v: unknown): v is PacketJourney {
  if (!isRecord(v) || typeof v.key !== 'string' || !['answered', 'unanswered', 'reply-only', 'seen'].includes(v.status as string)) return false;
  if (!Array.isArray(v.hops) || v.hops.length === 0 || !v.hops.every(isHop)) return false;
  if (!isIndex(v.lastSeen) || v.lastSeen >= v.hops.length) return false;
  if (!(v.expectedNext === null || typeof v.expectedNext === 'string') || !isIndex(v.files)) return false;
  return Array.isArray(v.errors) && v.errors.every((e) => typeof e === 'string');
}
