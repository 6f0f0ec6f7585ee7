/** `ktl stats`: one JSON object (or a short text report) describing a trace. */
import type { Trace } from '../core/trace/trace';
import { computeStats } from '../core/analysis/stats';
import { loadTrace } from './load';
import { interfacesJson } from '../core/formats/capture/common';
import { oneFile, type Command } from './commands';
import type { Output } from './output';

export const statsCommand: Command = {
  name: 'stats',
  usage: 'stats FILE [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, out) {
    // Each range's thread counts its events as it reads them: computeStats adds nothing after.
    const trace = await loadTrace(oneFile(args, 'stats'), args, { countStats: true });
    try {
      printStats(trace, args.values.json === true, out);
    } finally {
      trace.close();
    }
  },
};

function printStats(trace: Trace, json: boolean, out: Output): void {
  const s = computeStats(trace);
  const m = trace.meta;
  const report = {
    format: m.format,
    tracer: m.tracer,
    events: s.events,
    cpus: s.cpus,
    durationNs: s.durationNs,
    firstTsNs: s.firstTsNs,
    originNs: trace.originNs.toString(),
    timeSource: m.timeSource,
    eventCounts: Object.fromEntries(s.eventCounts),
    cpuCounts: Object.fromEntries([...s.cpuCounts].sort((a, b) => a[0] - b[0])),
    tasks: s.tasks.length,
    lostEvents: s.lostEvents,
    lostEventRecords: trace.lost.map((l) => ({ cpu: l.cpu, count: l.count, line: l.line })),
    bufferStarted: trace.bufferStarts.map((b) => ({ cpu: b.cpu, line: b.line })),
    onlineCpus: m.onlineCpus,
    entriesInBuffer: m.entriesInBuffer,
    entriesWritten: m.entriesWritten,
    bytesRead: trace.bytesRead,
    errorCount: trace.issueCount,
    errors: trace.issues.map((e) => ({ line: e.line, offset: e.offset, message: e.message })),
    // Captures (pcap/pcapng): one entry per interface; events are packets, cpus are interface indexes.
    ...(interfacesJson(trace) ? { interfaces: interfacesJson(trace) } : {}),
  };
  if (json) {
    out.line(JSON.stringify(report));
    return;
  }
  out.line(`format      ${report.format}${report.tracer ? ` (tracer: ${report.tracer})` : ''}`);
  out.line(`events      ${report.events}`);
  out.line(`cpus        ${report.cpus.join(' ')}`);
  out.line(report.timeSource === 'none' ? 'duration    - (no timestamps in the file; events in file order)' : `duration    ${(report.durationNs / 1e9).toFixed(9)} s (${report.timeSource})`);
  out.line(`tasks       ${report.tasks}`);
  out.line(`lost events ${report.lostEvents}`);
  out.line(`errors      ${report.errorCount}`);
  for (const e of report.errors.slice(0, 10)) out.line(`  line ${e.line}: ${e.message}`);
  out.line('event counts:');
  for (const [name, count] of s.eventCounts) out.line(`  ${String(count).padStart(10)}  ${name}`);
}
