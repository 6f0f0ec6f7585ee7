/** TCP (RFC 9293, options), UDP (RFC 768) and SCTP (RFC 9260, common header only). */
import { be16, be32, has, u8 } from './bytes';
import { IP_PROTO, MAX_TUNNEL_DEPTH, UDP_PORT, type IpContext } from './dispatch';
import { hex16, type Dissection } from './packet';

const TCP_FLAG_CHARS: [number, string][] = [
  [0x02, 'S'],
  [0x01, 'F'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** tcpdump's flag letters (`S`, `S.`, `P.`, `F.`, `R`, `.` for a bare ACK). */
export function tcpFlagText(flags: number): string {
  let s = '';
  for (const [bit, c] of TCP_FLAG_CHARS) if (flags & bit) s += c;
  if (flags & 0x10) s += '.';
  return s === '' ? 'none' : s;
}

/** Wireshark's flag names in its Info column order (`[FIN, PSH, ACK]`). */
const TCP_FLAG_NAMES: [number, string][] = [
  [0x01, 'FIN'],
  [0x02, 'SYN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
  [0x100, 'NS'],
];

/** `[SYN, ACK]`, `[<None>]` as Wireshark writes them. */
export function tcpFlagNames(flags: number): string {
  const names = TCP_FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  return `[${names.length === 0 ? '<None>' : names.join(', ')}]`;
}

const TCP_OPTION_NAMES: Record<number, string> = { 2: 'mss', 3: 'wscale', 4: 'sackOK', 5: 'sack', 8: 'TS', 30: 'mptcp', 34: 'tfo' };

function hostPort(addr: string, port: number, v: 4 | 6): string {
  return v === 6 ? `${addr}.${port}` : `${addr}.${port}`;
}

export function dissectTcp(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'tcp';
  if (!has(end, off, 20)) return d.short('TCP header', off, 20, end);
  const b = d.b;
  const sport = be16(b, off);
  const dport = be16(b, off + 2);
  const seq = be32(b, off + 4);
  const ack = be32(b, off + 8);
  const hl = (u8(b, off + 12) >> 4) * 4;
  const flags = be16(b, off + 12) & 0x0fff;
  const win = be16(b, off + 14);
  const l = d.layer('tcp', off, Math.min(Math.max(hl, 20), end - off));
  d.field(l, 'tcp.srcport', sport, off, 2);
  d.field(l, 'tcp.dstport', dport, off + 2, 2);
  d.field(l, 'tcp.seq_raw', seq, off + 4, 4);
  d.field(l, 'tcp.ack_raw', ack, off + 8, 4);
  d.field(l, 'tcp.hdr_len', hl, off + 12, 1);
  d.field(l, 'tcp.flags', `0x${flags.toString(16).padStart(3, '0')}`, off + 12, 2);
  d.field(l, 'tcp.window_size_value', win, off + 14, 2);
  d.field(l, 'tcp.checksum', hex16(be16(b, off + 16)), off + 16, 2);
  d.field(l, 'tcp.urgent_pointer', be16(b, off + 18), off + 18, 2);
  // Innermost ports, as the innermost addresses (ip.ts): a tunnelled segment's own.
  d.ports = { src: sport, dst: dport };
  const head = `${hostPort(ip.src, sport, ip.version)} > ${hostPort(ip.dst, dport, ip.version)}: Flags [${tcpFlagText(flags)}]`;
  // Info, as Wireshark's (with raw sequence numbers: a single packet knows no stream to be relative to).
  const info = `${sport} → ${dport} ${tcpFlagNames(flags)} Seq=${seq}${flags & 0x10 ? ` Ack=${ack}` : ''} Win=${win}`;
  d.infoText = info;
  if (hl < 20) {
    d.problem('malformed', `TCP header length ${hl} is less than 20`, off + 12);
    d.summary = `${head}, bogus header length ${hl}`;
    return;
  }
  if (!has(end, off, hl)) {
    d.short('TCP options', off, hl, end);
    d.summary = `${head} [TCP options cut short]`;
    return;
  }
  const opts: string[] = [];
  const infoOpts: string[] = [];
  for (let p = off + 20; p < off + hl; ) {
    const kind = u8(b, p);
    if (kind === 0) break;
    if (kind === 1) {
      p++;
      continue;
    }
    if (!has(off + hl, p, 2)) break;
    const len = u8(b, p + 1);
    if (len < 2 || !has(off + hl, p, len)) {
      d.problem('malformed', `TCP option ${kind} with bad length ${len}`, p);
      break;
    }
    const name = TCP_OPTION_NAMES[kind] ?? `opt-${kind}`;
    let value = name;
    if (kind === 2 && len === 4) {
      value = `mss ${be16(b, p + 2)}`;
      infoOpts.push(`MSS=${be16(b, p + 2)}`);
    } else if (kind === 3 && len === 3) {
      value = `wscale ${u8(b, p + 2)}`;
      // Wireshark's WS= is the multiplier (2^shift), shifts above 14 are clamped (RFC 7323).
      infoOpts.push(`WS=${2 ** Math.min(14, u8(b, p + 2))}`);
    } else if (kind === 8 && len === 10) {
      value = `TS val ${be32(b, p + 2)} ecr ${be32(b, p + 6)}`;
      infoOpts.push(`TSval=${be32(b, p + 2)} TSecr=${be32(b, p + 6)}`);
    } else if (kind === 4) infoOpts.push('SACK_PERM');
    d.field(l, 'tcp.option', value, p, len);
    opts.push(value);
    p += len;
  }
  const payload = Math.max(0, ip.payloadLength - hl);
  let text = `${head}, seq ${seq}`;
  if (flags & 0x10) text += `, ack ${ack}`;
  text += `, win ${win}`;
  if (opts.length > 0) text += `, options [${opts.join(',')}]`;
  d.summary = `${text}, length ${payload}`;
  d.infoText = `${info} Len=${payload}${infoOpts.length > 0 ? ` ${infoOpts.join(' ')}` : ''}`;
}

export function dissectUdp(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'udp';
  if (!has(end, off, 8)) return d.short('UDP header', off, 8, end);
  const b = d.b;
  const sport = be16(b, off);
  const dport = be16(b, off + 2);
  const len = be16(b, off + 4);
  const l = d.layer('udp', off, 8);
  d.field(l, 'udp.srcport', sport, off, 2);
  d.field(l, 'udp.dstport', dport, off + 2, 2);
  d.field(l, 'udp.length', len, off + 4, 2);
  d.field(l, 'udp.checksum', hex16(be16(b, off + 6)), off + 6, 2);
  d.ports = { src: sport, dst: dport };
  if (len < 8 && !(len === 0 && ip.version === 6)) d.problem('malformed', `UDP length ${len} is less than 8`, off + 4);
  else if (len > ip.payloadLength && ip.payloadLength > 0) d.problem('malformed', `UDP length ${len} exceeds the IP payload length ${ip.payloadLength}`, off + 4);
  d.summary = `${hostPort(ip.src, sport, ip.version)} > ${hostPort(ip.dst, dport, ip.version)}: UDP, length ${Math.max(0, len - 8)}`;
  d.infoText = `${sport} → ${dport} Len=${Math.max(0, len - 8)}`;
  // Tunnels on UDP (overlay.ts) by their well-known port, the destination first (Wireshark's order).
  const tunnel = UDP_PORT.get(dport) ?? UDP_PORT.get(sport);
  if (tunnel && d.depth < MAX_TUNNEL_DEPTH && len >= 8) {
    d.depth++;
    tunnel(d, off + 8, Math.min(end, off + len), ip);
  }
}

export function dissectSctp(d: Dissection, off: number, end: number, ip: IpContext): void {
  d.protocol = 'sctp';
  if (!has(end, off, 12)) return d.short('SCTP header', off, 12, end);
  const b = d.b;
  const sport = be16(b, off);
  const dport = be16(b, off + 2);
  const l = d.layer('sctp', off, 12);
  d.field(l, 'sctp.srcport', sport, off, 2);
  d.field(l, 'sctp.dstport', dport, off + 2, 2);
  d.field(l, 'sctp.verification_tag', `0x${be32(b, off + 4).toString(16).padStart(8, '0')}`, off + 4, 4);
  d.ports = { src: sport, dst: dport };
  d.summary = `${ip.src}.${sport} > ${ip.dst}.${dport}: SCTP, length ${ip.payloadLength}`;
  d.infoText = `${sport} → ${dport}`;
}

IP_PROTO.add(6, dissectTcp);
IP_PROTO.add(17, dissectUdp);
IP_PROTO.add(132, dissectSctp);
