/**
 * OSPF (RFC 2328 appendix A.3 for v2; RFC 5340 A.3 for v3): the common header for every
 * packet type, and the Hello body in full (router id, intervals, DR/BDR, neighbours) because
 * Hellos that stop or drift are what seed 003 hunts.
 */
import { be16, be32, has, ipv4, u8 } from './bytes';
import { IP_PROTO, type IpContext } from './dispatch';
import { hex16, type Dissection, type OspfHelloInfo } from './packet';

const TYPES: Record<number, string> = { 1: 'Hello', 2: 'Database Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };

export function dissectOspf(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'ospf';
  if (!has(end, off, 16)) return d.short('OSPF header', off, 16, end);
  const b = d.b;
  const version = u8(b, off);
  const type = u8(b, off + 1);
  const length = be16(b, off + 2);
  const routerId = ipv4(b, off + 4);
  const areaId = ipv4(b, off + 8);
  const hdrLen = version === 3 ? 16 : 24;
  const l = d.layer('ospf', off, Math.min(Math.max(length, hdrLen), end - off));
  d.field(l, 'ospf.version', version, off, 1);
  d.field(l, 'ospf.msg', type, off + 1, 1);
  d.field(l, 'ospf.packet_length', length, off + 2, 2);
  d.field(l, 'ospf.srcrouter', routerId, off + 4, 4);
  d.field(l, 'ospf.area_id', areaId, off + 8, 4);
  d.field(l, 'ospf.checksum', hex16(be16(b, off + 12)), off + 12, 2);
  const typeName = TYPES[type] ?? `type ${type}`;
  d.summary = `${ip.src} > ${ip.dst}: OSPFv${version}, ${typeName}, length ${length}`;
  d.ospf = { version, type, typeName, routerId, areaId, hello: null };
  if (version !== 2 && version !== 3) {
    d.problem('malformed', `OSPF version ${version}`, off);
    return;
  }
  if (!has(end, off, hdrLen)) return d.short('OSPF header', off, hdrLen, end);
  if (version === 2) d.field(l, 'ospf.auth.type', be16(b, off + 14), off + 14, 2);
  if (length < hdrLen) {
    d.problem('malformed', `OSPF packet length ${length} is less than the header length ${hdrLen}`, off + 2);
    return;
  }
  const bodyEnd = Math.min(end, off + length);
  if (off + length > end && !d.snapTruncated) d.problem('malformed', `OSPF packet length ${length} exceeds the ${end - off} bytes in the IP payload`, off + 2);
  if (type !== 1) return;
  const p = off + hdrLen;
  const fixed = 20;
  // Each Hello field as far as the bytes go (a snaplen can cut the body anywhere).
  const can = (at: number, n: number): boolean => has(bodyEnd, at, n);
  const ip4 = (at: number): string => (can(at, 4) ? ipv4(b, at) : '');
  let hello: OspfHelloInfo;
  let n = p + fixed;
  const neighbors: string[] = [];
  if (version === 2) {
    hello = {
      networkMask: ip4(p),
      helloInterval: can(p + 4, 2) ? be16(b, p + 4) : -1,
      priority: can(p + 7, 1) ? u8(b, p + 7) : -1,
      deadInterval: can(p + 8, 4) ? be32(b, p + 8) : -1,
      designatedRouter: ip4(p + 12),
      backupDesignatedRouter: ip4(p + 16),
      neighbors,
    };
    if (can(p, 4)) d.field(l, 'ospf.hello.network_mask', hello.networkMask, p, 4);
    if (can(p + 4, 2)) d.field(l, 'ospf.hello.hello_interval', hello.helloInterval, p + 4, 2);
    if (can(p + 6, 1)) d.field(l, 'ospf.v2.options', `0x${u8(b, p + 6).toString(16).padStart(2, '0')}`, p + 6, 1);
    if (can(p + 7, 1)) d.field(l, 'ospf.hello.router_priority', hello.priority, p + 7, 1);
    if (can(p + 8, 4)) d.field(l, 'ospf.hello.router_dead_interval', hello.deadInterval, p + 8, 4);
    if (can(p + 12, 4)) d.field(l, 'ospf.hello.designated_router', hello.designatedRouter, p + 12, 4);
    if (can(p + 16, 4)) d.field(l, 'ospf.hello.backup_designated_router', hello.backupDesignatedRouter, p + 16, 4);
  } else {
    hello = {
      networkMask: '',
      helloInterval: can(p + 8, 2) ? be16(b, p + 8) : -1,
      priority: can(p + 4, 1) ? u8(b, p + 4) : -1,
      deadInterval: can(p + 10, 2) ? be16(b, p + 10) : -1,
      designatedRouter: ip4(p + 12),
      backupDesignatedRouter: ip4(p + 16),
      neighbors,
    };
    if (can(p, 4)) d.field(l, 'ospf.hello.interface_id', be32(b, p), p, 4);
    if (can(p + 4, 1)) d.field(l, 'ospf.hello.router_priority', hello.priority, p + 4, 1);
    if (can(p + 8, 2)) d.field(l, 'ospf.hello.hello_interval', hello.helloInterval, p + 8, 2);
    if (can(p + 10, 2)) d.field(l, 'ospf.hello.router_dead_interval', hello.deadInterval, p + 10, 2);
    if (can(p + 12, 4)) d.field(l, 'ospf.hello.designated_router', hello.designatedRouter, p + 12, 4);
    if (can(p + 16, 4)) d.field(l, 'ospf.hello.backup_designated_router', hello.backupDesignatedRouter, p + 16, 4);
  }
  if (!can(p, fixed)) {
    d.ospf = { version, type, typeName, routerId, areaId, hello };
    return d.short('OSPF Hello', p, fixed, bodyEnd);
  }
  for (; has(bodyEnd, n, 4) && neighbors.length < 1024; n += 4) {
    const nb = ipv4(b, n);
    neighbors.push(nb);
    d.field(l, 'ospf.hello.active_neighbor', nb, n, 4);
  }
  d.ospf = { version, type, typeName, routerId, areaId, hello };
  d.summary =
    `${ip.src} > ${ip.dst}: OSPFv${version}, Hello, router ${routerId}, area ${areaId}, ` +
    `hello ${hello.helloInterval}s, dead ${hello.deadInterval}s, ${neighbors.length} neighbor${neighbors.length === 1 ? '' : 's'}` +
    (neighbors.length > 0 ? ` [${neighbors.join(', ')}]` : '');
}

IP_PROTO.add(89, dissectOspf);
