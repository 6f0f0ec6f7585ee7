/**
 * LINKTYPE_PPI (192), the Per-Packet Information header (CACE Technologies' PPI specification
 * 1.0.10, as libpcap and Wireshark read it): version (0), flags (bit 0: the frame is aligned to
 * 32 bits), header length and the frame's own link type, little-endian; then typed fields (802.11
 * common, MAC, PHY, GPS ...), each `type, length` (16 bits each, little-endian) and data; then
 * the frame of that link type, decoded in place (Ethernet and raw IP here; 802.11 is named).
 * Field types (Wireshark's packet-ppi.c): 2 802.11-Common, 3/4 802.11n MAC (+PHY), 5 spectrum
 * map, 6 process info, 7 capture info, 8 aggregation, 9 802.3, 30002 GPS, 30003 vector,
 * 30004 sensor, 30005 antenna.
 */
import { has, le16, le32, u8 } from './bytes';
import { LINK_TYPE } from './dispatch';
import { dissectLink, linkTypeName } from './link';
import type { Dissection } from './packet';

function dissectPpi(d: Dissection, off: number, end: number): void {
  d.protocol = 'ppi';
  if (!has(end, off, 8)) return d.short('PPI header', off, 8, end);
  const b = d.b;
  const version = u8(b, off);
  const flags = u8(b, off + 1);
  const len = le16(b, off + 2);
  const dlt = le32(b, off + 4);
  const l = d.layer('ppi', off, Math.min(Math.max(len, 8), end - off));
  d.field(l, 'ppi.version', version, off, 1);
  d.field(l, 'ppi.flags', `0x${flags.toString(16).padStart(2, '0')}`, off + 1, 1);
  d.field(l, 'ppi.length', len, off + 2, 2);
  d.field(l, 'ppi.dlt', dlt, off + 4, 4);
  if (version !== 0) {
    d.problem('malformed', `PPI version ${version} (only 0 is defined)`, off);
    d.summary = `PPI version ${version}`;
    return;
  }
  if (len < 8) {
    d.problem('malformed', `PPI header length ${len} is less than 8`, off + 2);
    d.summary = 'PPI, bad header length';
    return;
  }
  if (!has(end, off, len)) return d.short('PPI fields', off + 8, len - 8, end);
  for (let p = off + 8, n = 0; p + 4 <= off + len && n < 64; n++) {
    const type = le16(b, p);
    const flen = le16(b, p + 2);
    if (p + 4 + flen > off + len) {
      d.problem('malformed', `PPI field ${type} of ${flen} bytes runs past the header`, p);
      break;
    }
    const f = d.layer('ppi.field', p, 4 + flen);
    d.field(f, 'ppi.field_type', type, p, 2);
    d.field(f, 'ppi.field_len', flen, p + 2, 2);
    p += 4 + flen;
  }
  if (dlt === 192) {
    d.summary = `PPI inside PPI, ${end - off - len} bytes, not decoded`;
    return;
  }
  dissectLink(d, dlt, off + len, end);
  if (d.protocol === 'ppi' || d.summary === '') d.summary = `PPI, ${linkTypeName(dlt)} frame of ${end - off - len} bytes`;
}

LINK_TYPE.add(192, dissectPpi);
