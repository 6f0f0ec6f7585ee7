/**
 * Built-in model `skb`: socket buffers through the net/skb tracepoints, keyed by `skbaddr`.
 *
 * States and the tracepoints that report them (Linux net/core/dev.c, net/core/skbuff.c,
 * net/core/datagram.c; include/trace/events/{net,skb}.h):
 *   QUEUED    net_dev_queue              __dev_queue_xmit(): handed to a device for transmit
 *   XMIT      net_dev_xmit               xmit_one(): after the driver's ndo_start_xmit returned
 *                                        (`rc`); traced after the fact, so the skb may already
 *                                        have moved on (a veth peer received it)
 *   RX        netif_rx                   netif_rx_internal(): queued to a CPU's backlog
 *   RECEIVED  netif_receive_skb          __netif_receive_skb_core(): delivered to the stack
 *   COPIED    skb_copy_datagram_iovec    copied to user space by a socket read
 *   FREED     consume_skb                the last reference dropped, normal end
 *   DROPPED   kfree_skb                  freed as a drop, with its `reason` (e.g. NO_SOCKET)
 * FREED and DROPPED are terminal: allocation has no tracepoint, so the next event with the
 * same address is a new skb (a new generation of the key).
 *
 * Legal transitions, from the paths that produce these events:
 *   QUEUED -> QUEUED     stacked devices (vlan, bond, macvlan, tunnels) queue on the lower
 *                        device from inside the upper device's xmit
 *   QUEUED -> RX         veth/loopback xmit calls __netif_rx() before net_dev_xmit is traced
 *   QUEUED -> RECEIVED   veth in NAPI/XDP mode: the peer's NAPI poll may receive it first
 *   QUEUED -> XMIT       the driver took it
 *   XMIT -> XMIT         stacked devices (inner xmit traced before the outer), or a requeue
 *                        after NETDEV_TX_BUSY
 *   XMIT -> RECEIVED     veth: the peer's receive runs once the sender's xmit returns (and
 *                        ifb's tasklet re-injects ingress traffic)
 *   XMIT -> QUEUED       ifb re-queues redirected egress traffic on the original device
 *   RX -> XMIT           veth/loopback: net_dev_xmit after the __netif_rx() inside the xmit
 *   RX -> RECEIVED       the backlog (process_backlog) delivered it
 *   RECEIVED -> RECEIVED decapsulation / bridges re-inject the same skb
 *   RECEIVED -> RX       tunnels re-inject through netif_rx
 *   RECEIVED -> QUEUED   forwarding, bridging
 *   RECEIVED -> XMIT     net_dev_xmit traced after another CPU (RPS) already received it
 *   RECEIVED -> COPIED   delivered to a socket and read
 *   COPIED -> COPIED     a read in several parts (stream sockets, MSG_PEEK)
 *   any of them -> FREED / DROPPED
 * Everything else is a finding, e.g. RX -> RX (queued to a backlog twice), RX -> QUEUED
 * (transmitted while still in a backlog).
 *
 * Reuse. Some frees have no tracepoint: TCP frees a received skb once the read consumed it
 * (tcp_eat_recv_skb -> skb_attempt_defer_free on the CPU that allocated it; __kfree_skb for
 * pure ACKs), GRO frees merged skbs (kfree_skb_partial). The address then comes back as a new
 * skb with no free in between. After COPIED that is certain (a read skb is never sent or
 * received again), so COPIED -> QUEUED / RX / RECEIVED start a new object (`reuse`).
 * lifecycle-veth-rps.trace has one (a loopback TCP skb read by Chrome, then the same address
 * queued by the python3 TCP server). After RECEIVED it is ambiguous (RECEIVED -> QUEUED is also
 * forwarding), so those stay one object: a forwarded skb keeps its journey, at the price of
 * sometimes joining a freed ACK and the next skb at its address (also in that trace).
 *
 * Checked against the captures in test/fixtures/ftrace (golden lifecycle tests): every
 * transition they contain is in this list, across CPUs too (lifecycle-veth-rps.trace steers
 * each veth's receive work to the other CPU).
 *
 * Incomplete: an skb still QUEUED, XMIT or RX 1 s before the end of the trace (stuck in a
 * qdisc, a driver ring or a backlog). RECEIVED and COPIED may legitimately wait in a socket.
 */
import type { LifecycleModelJson } from '../model';

export const SKB_MODEL: LifecycleModelJson = {
  name: 'skb',
  description: 'Socket buffers through the net and skb tracepoints, keyed by skbaddr',
  states: ['QUEUED', 'XMIT', 'RX', 'RECEIVED', 'COPIED', 'FREED', 'DROPPED'],
  terminal: ['FREED', 'DROPPED'],
  mappings: [
    { id: 'net_dev_queue', event: 'net_dev_queue', key: 'skbaddr', state: 'QUEUED', fields: ['dev', 'len'] },
    { id: 'net_dev_xmit', event: 'net_dev_xmit', key: 'skbaddr', state: 'XMIT', fields: ['dev', 'len', 'rc'] },
    { id: 'netif_rx', event: 'netif_rx', key: 'skbaddr', state: 'RX', fields: ['dev', 'len'] },
    { id: 'netif_receive_skb', event: 'netif_receive_skb', key: 'skbaddr', state: 'RECEIVED', fields: ['dev', 'len'] },
    { id: 'skb_copy_datagram_iovec', event: 'skb_copy_datagram_iovec', key: 'skbaddr', state: 'COPIED', fields: ['len'] },
    { id: 'consume_skb', event: 'consume_skb', key: 'skbaddr', state: 'FREED', fields: ['location'] },
    // `location=ping_rcv+0xab/0xd0 reason: NO_SOCKET`: the reason is not key=value; the pattern
    // (which always matches) takes both apart.
    { id: 'kfree_skb', event: 'kfree_skb', pattern: '^(?:.*?\\blocation=(?<location>\\S+))?(?:.*?\\breason: (?<reason>\\w+))?', key: 'skbaddr', state: 'DROPPED', fields: ['protocol'] },
  ],
  transitions: [
    'QUEUED -> QUEUED',
    'QUEUED -> RX',
    'QUEUED -> RECEIVED',
    'QUEUED -> XMIT',
    'XMIT -> XMIT',
    'XMIT -> RECEIVED',
    'XMIT -> QUEUED',
    'RX -> XMIT',
    'RX -> RECEIVED',
    'RECEIVED -> RECEIVED',
    'RECEIVED -> RX',
    'RECEIVED -> QUEUED',
    'RECEIVED -> XMIT',
    'RECEIVED -> COPIED',
    'COPIED -> COPIED',
    'QUEUED -> FREED',
    'QUEUED -> DROPPED',
    'XMIT -> FREED',
    'XMIT -> DROPPED',
    'RX -> FREED',
    'RX -> DROPPED',
    'RECEIVED -> FREED',
    'RECEIVED -> DROPPED',
    'COPIED -> FREED',
    'COPIED -> DROPPED',
  ],
  reuse: ['COPIED -> QUEUED', 'COPIED -> RX', 'COPIED -> RECEIVED'],
  incomplete: { states: ['QUEUED', 'XMIT', 'RX'], afterNs: 1_000_000_000 },
};
