/**
 * Built-in model `af-xdp`: AF_XDP UMEM descriptors, as in seed 004 (Cloudflare, "corrupt
 * packets in AF_XDP"). A descriptor (its UMEM address) cycles through the four rings:
 *
 *   FILL -> RX -> TX -> COMP -> FILL     (received, forwarded, completed, refilled)
 *   FILL -> RX -> FILL                   (received and dropped / recycled)
 *
 * Observers (mappings):
 *   xsk-rcv   kprobe `perf probe -a '__xsk_rcv_zc:7 addr len xs xs->pool->fq'` on the call to
 *             xskq_prod_reserve_desc(): the kernel took the descriptor off the FILL ring and
 *             puts it in the RX ring (FILL -> RX), for socket `xs` (fill queue `fq`).
 *   xp-raw    kprobe `perf probe -a 'xp_raw_get_data:0 addr'`: the kernel took the descriptor
 *             off the TX ring to send it; it stays TX until the application reaps it from COMP.
 *   app-ring  the application's trace_marker lines `ingress q:1 0x16ce900 FILL -> RX`,
 *             `egress q:1 0x16ce900 RX -> TX`, ... (text after the transition, such as the
 *             seed's `: expected 0x13d3900 remaining: [...]`, is ignored).
 * The kernel's FILL -> RX and the application's `FILL -> RX` marker are two witnesses of one
 * move (see lifecycle.ts).
 *
 * FIFOs: the RX ring is single-producer/single-consumer, so per socket the order the kernel
 * produces descriptors (xsk-rcv, queue = `xs`) is the order the application reads them
 * (`FILL -> RX` markers, queue = `q:N`); the seed's "expected 0x13d3900" break. Likewise the
 * FILL ring: the order the application refills (`-> FILL` markers) is the order the kernel
 * takes them (xsk-rcv, queue = `fq`). The TX ring is not checked: xp_raw_get_data records no
 * socket, so its order cannot be told apart per queue.
 *
 * Poison: 0xdeadbeefdeadbeef, which the seed's application wrote back into every RX slot it
 * consumed; reading it again means the kernel exposed a slot before writing it.
 *
 * Batches: the kernel's RX production per CPU (one NAPI poll between flushes), and the
 * application's RX reads per task.
 *
 * Incomplete: a descriptor the kernel put in RX (or the application in TX) that is not seen
 * again for 1 s while the trace goes on. FILL and COMP are resting states (no traffic, or
 * nothing to send).
 */
import type { LifecycleModelJson } from '../model';

export const AF_XDP_MODEL: LifecycleModelJson = {
  name: 'af-xdp',
  description: 'AF_XDP UMEM descriptors through the FILL, RX, TX and COMPLETION rings (seed 004)',
  states: ['FILL', 'RX', 'TX', 'COMP'],
  mappings: [
    { id: 'xsk-rcv', event: '__xsk_rcv_zc_L7', key: 'addr', keyFormat: 'hex', from: 'FILL', state: 'RX', fields: ['xs', 'fq', 'len'] },
    { id: 'xp-raw', event: 'xp_raw_get_data', key: 'addr', keyFormat: 'hex', state: 'TX' },
    {
      id: 'app-ring',
      event: 'tracing_mark_write',
      pattern: '^(?<dir>ingress|egress) q:(?<queue>\\d+) (?<key>(?:0x)?[0-9a-fA-F]+) (?<from>FILL|RX|TX|COMP) -> (?<to>FILL|RX|TX|COMP)\\b',
      ignoreCase: true,
      keyFormat: 'hex',
    },
  ],
  transitions: ['FILL -> RX -> TX -> COMP -> FILL', 'RX -> FILL'],
  fifo: [
    { name: 'rx-ring', enter: { mapping: 'xsk-rcv', queue: 'xs' }, leave: { mapping: 'app-ring', state: 'RX', queue: 'queue' } },
    { name: 'fill-ring', enter: { mapping: 'app-ring', state: 'FILL', queue: 'queue' }, leave: { mapping: 'xsk-rcv', queue: 'fq' } },
  ],
  poison: ['0xdeadbeefdeadbeef'],
  batches: [
    { name: 'kernel-rx', select: { mapping: 'xsk-rcv' }, by: 'cpu' },
    { name: 'app-rx', select: { mapping: 'app-ring', state: 'RX' }, by: 'task' },
  ],
  incomplete: { states: ['RX', 'TX'], afterNs: 1_000_000_000 },
};
