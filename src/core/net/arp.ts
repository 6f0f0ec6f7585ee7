/** ARP and RARP (RFC 826, RFC 903): Ethernet/IPv4 addresses decoded, other sizes shown as hex. */
import { be16, has, hex, ipv4, mac, u8 } from './bytes';
import { ETHERTYPE } from './dispatch';
import { hex16, type Dissection } from './packet';

const OPS: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply' };

export function dissectArp(d: Dissection, off: number, end: number, rarp: boolean): void {
  d.protocol = rarp ? 'rarp' : 'arp';
  if (!has(end, off, 8)) return d.short('ARP header', off, 8, end);
  const b = d.b;
  const htype = be16(b, off);
  const ptype = be16(b, off + 2);
  const hlen = u8(b, off + 4);
  const plen = u8(b, off + 5);
  const op = be16(b, off + 6);
  const total = 8 + 2 * hlen + 2 * plen;
  const l = d.layer('arp', off, Math.min(total, end - off));
  d.field(l, 'arp.hw.type', htype, off, 2);
  d.field(l, 'arp.proto.type', hex16(ptype), off + 2, 2);
  d.field(l, 'arp.hw.size', hlen, off + 4, 1);
  d.field(l, 'arp.proto.size', plen, off + 5, 1);
  d.field(l, 'arp.opcode', op, off + 6, 2);
  if (!has(end, off, total)) return d.short('ARP addresses', off, total, end);
  const hw = (p: number): string => (hlen === 6 ? mac(b, p) : hex(b, p, hlen, ':'));
  const pr = (p: number): string => (plen === 4 ? ipv4(b, p) : hex(b, p, plen, ':'));
  let p = off + 8;
  const sha = hw(p);
  d.field(l, 'arp.src.hw_mac', sha, p, hlen);
  p += hlen;
  const spa = pr(p);
  d.field(l, plen === 4 ? 'arp.src.proto_ipv4' : 'arp.src.proto', spa, p, plen);
  p += plen;
  const tha = hw(p);
  d.field(l, 'arp.dst.hw_mac', tha, p, hlen);
  p += hlen;
  const tpa = pr(p);
  d.field(l, plen === 4 ? 'arp.dst.proto_ipv4' : 'arp.dst.proto', tpa, p, plen);
  d.src = spa;
  d.dst = tpa;
  const name = rarp ? 'RARP' : 'ARP';
  // Info as Wireshark's ARP column text.
  if (op === 1) d.infoText = spa === tpa ? `${name} Announcement for ${spa}` : `Who has ${tpa}? Tell ${spa}`;
  else if (op === 2) d.infoText = `${spa} is at ${sha}`;
  else if (op === 3) d.infoText = `Who is ${tha}? Tell ${sha}`;
  else if (op === 4) d.infoText = `${tha} is at ${tpa}`;
  if (op === 1) d.summary = spa === tpa ? `${name}, Announcement ${spa}` : `${name}, Request who-has ${tpa} tell ${spa}`;
  else if (op === 2) d.summary = `${name}, Reply ${spa} is-at ${sha}`;
  else if (op === 3) d.summary = `${name}, Reverse Request who-is ${tha} tell ${sha}`;
  else if (op === 4) d.summary = `${name}, Reverse Reply ${tha} at ${tpa}`;
  else d.summary = `${name}, ${OPS[op] ?? `opcode ${op}`}`;
}

ETHERTYPE.add(0x0806, (d, _type, off, end) => dissectArp(d, off, end, false));
ETHERTYPE.add(0x8035, (d, _type, off, end) => dissectArp(d, off, end, true));
