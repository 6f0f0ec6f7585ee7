/** `ktl align`: estimate the offset between a trace's clock and the wall clock of captures. */
import { estimateClockOffset } from '../core/analysis/capture/align';
import { isCapture } from '../core/formats/capture/common';
import { loadTrace } from './load';
import type { Trace } from '../core/trace/trace';
import { UsageError, type Command } from './commands';

export const alignCommand: Command = {
  name: 'align',
  usage: 'align TRACE CAPTURE... [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, out) {
    const [tracePath, ...capturePaths] = args.positionals;
    if (!tracePath || capturePaths.length === 0) throw new UsageError('ktl align expects a TRACE and at least one CAPTURE');
    const opened: Trace[] = [];
    try {
      const trace = await loadTrace(tracePath, args);
      opened.push(trace);
      if (isCapture(trace.meta.format)) throw new UsageError(`${tracePath} is a capture; give the trace first`);
      const captures: Trace[] = [];
      for (const p of capturePaths) {
        const c = await loadTrace(p, args);
        opened.push(c);
        if (!isCapture(c.meta.format)) throw new UsageError(`${p} is not a capture (pcap/pcapng)`);
        captures.push(c);
      }
      const e = estimateClockOffset(trace, captures);
      if (args.values.json === true) out.line(JSON.stringify(e));
      else {
        out.line(`offset ${e.offsetNs} ns (capture wall clock - trace clock), by ${e.method}: ${e.matches} matches, residual ${e.residualNs} ns`);
        if (e.events) out.line(`  events:  ${e.events.offsetNs} ns, ${e.events.matches} matched pairs, residual ${e.events.residualNs} ns`);
        if (e.markers) out.line(`  markers: ${e.markers.offsetNs} ns, ${e.markers.count} markers, spread ${e.markers.spreadNs} ns`);
      }
    } finally {
      for (const t of opened) t.close();
    }
  },
};
