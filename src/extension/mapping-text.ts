/**
 * The hover's words for how an event was mapped to its source line (hits/model's mappings),
 * as Markdown with the trace's function name escaped. Apart from the hover so that it can be
 * tested without VS Code.
 */
import type { HitEntry } from '../core/analysis/hits';
import { escapeMd } from './markdown-text';

/** Whether addr2line could run on vmlinux: set (and it did not resolve), not set, or Restricted Mode. */
export type VmlinuxState = 'set' | 'unset' | 'restricted';

const VMLINUX_WORDS: Readonly<Record<VmlinuxState, string>> = {
  set: 'addr2line on kernelTrace\\.vmlinux did not resolve the offset',
  unset: 'kernelTrace\\.vmlinux is not set, so the offset is not resolved to a line',
  // The user may well have set it: an untrusted workspace runs no program, addr2line included.
  restricted: 'addr2line is not run in Restricted Mode, so the offset is not resolved to a line',
};

export function mappingText(e: HitEntry, vmlinux: VmlinuxState): string {
  const fn = e.function === null ? null : escapeMd(e.function);
  switch (e.mapping) {
    case 'probe-line': {
      const rel = /_L(\d+)(?:_\d+)?$/.exec(e.event)?.[1];
      return rel !== undefined && fn !== null ? `perf probe on line ${rel} of ${fn}` : 'perf probe on this line';
    }
    case 'probe-entry':
      return fn !== null ? `probe on the entry of ${fn}` : 'probe on a function entry';
    case 'probe-return':
      return fn !== null ? `return probe of ${fn} (shown on its closing brace)` : 'return probe';
    case 'probe-symbol':
      return (
        `kprobe at an offset into ${fn ?? 'a function'}, shown on the function's first line: ` +
        VMLINUX_WORDS[vmlinux]
      );
    case 'probe-offset':
      return `kprobe at an offset into ${fn ?? 'a function'}: this exact line, per addr2line on kernelTrace\\.vmlinux`;
    case 'sample-symbol':
      return `samples whose address is inside ${fn ?? 'a function'}, shown on its first line`;
    case 'tracepoint-call':
      return 'tracepoint call site';
    case 'function-entry':
      return fn !== null ? `function tracer: entry of ${fn}` : 'function tracer';
  }
}
