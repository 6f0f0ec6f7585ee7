/**
 * Fields of a `perf script` event, decoded on demand (shapes in perf-script.ts):
 *   tracepoints   `dev=lo skbaddr=0xffff888104948900 len=98` (key=value, as ftrace prints them)
 *   perf probe    `(ffffffff81234567) addr=0x16ce900 len=60`: the probe address, then its args;
 *                 return probes `(ffffffff81a2b3c4 <- ffffffff81a2b000) ret=0x0`
 *   samples       `ffffffff81630273 __kmem_cache_alloc_bulk+0xc3 ([kernel.kallsyms])`: ip, sym, dso
 *                 (`ffffffff81d74e97 read_zero` without dso: ip, sym)
 *   callchains    the frame lines under the event: the event's stack, innermost first
 */
import { parseKeyValues, type DecodedPayload, type ProbeSite } from '../decoded';

const PROBE_ADDR = /^\((?:0x)?([0-9a-fA-F]+)(?:\s+<-\s+(?:0x)?([0-9a-fA-F]+))?\)\s*/;
const IP_SYM_DSO = /^([0-9a-fA-F]+)\s+(.*?)\s+\(([^()]*)\)\s*$/;
/** `-F ...,ip,sym` without dso: `ffffffff81d74e97 read_zero`. */
const IP_SYM = /^([0-9a-fA-F]+)\s+(\S+)$/;

export function decodePerfPayload(payload: string): DecodedPayload {
  const lines = payload.split('\n');
  const first = (lines[0] as string).trim();
  const stack = lines
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  let d: DecodedPayload;
  const probe = PROBE_ADDR.exec(first);
  const ip = IP_SYM_DSO.exec(first);
  const ipSym = ip ? null : IP_SYM.exec(first);
  if (probe) {
    // Return probes (`func__return`) print `(return address <- function address)`.
    const from = probe[2] === undefined ? null : `0x${probe[2].toLowerCase()}`;
    const site: ProbeSite = { symbol: null, offset: null, size: null, address: `0x${(probe[1] as string).toLowerCase()}`, returnFrom: from };
    d = { fields: parseKeyValues(first.slice(probe[0].length)), probe: site };
  } else if (ip && !first.includes('=')) {
    d = { fields: { ip: ip[1] as string, sym: ip[2] as string, dso: ip[3] as string } };
  } else if (ipSym && !first.includes('=')) {
    d = { fields: { ip: ipSym[1] as string, sym: ipSym[2] as string } };
  } else {
    d = { fields: first ? parseKeyValues(first) : {} };
  }
  return stack.length > 0 ? { ...d, stack } : d;
}
