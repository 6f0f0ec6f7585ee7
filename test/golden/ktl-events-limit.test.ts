// `ktl events --limit N` stops reading once it has its N rows (src/cli/events.ts stopAfter): its
// output equals what the same command prints after reading the whole file, for every line
// format and captures, with and without filters; and it does stop early. Fixtures are read in
// small chunks so that they take many (the CLI reads 1 MiB at a time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { PassThrough } from 'node:stream';
// The command table first: events.ts is one of its commands (importing it alone would cycle).
import '../../src/cli/commands';
import { loadTraceFile } from '../../src/core/io/file-source';
import type { EventFilter } from '../../src/core/analysis/event-filter';
import { stopAfter, writeEvents } from '../../src/cli/events';
import { Output } from '../../src/cli/output';
import type { Trace } from '../../src/core/trace/trace';

const CHUNK = 1024;

interface Case {
  readonly file: string;
  readonly filter: EventFilter;
}

const NONE: EventFilter = {};
const CASES: readonly Case[] = [
  { file: 'test/fixtures/ftrace/veth-ping.trace', filter: NONE },
  { file: 'test/fixtures/ftrace/veth-ping.trace', filter: { text: 'len=98' } },
  { file: 'test/fixtures/ftrace/veth-ping.trace', filter: { events: ['net_dev_xmit'], task: 'ping' } },
  { file: 'test/fixtures/ftrace/lost-events-pipe.trace', filter: { cpus: [1] } },
  { file: 'test/fixtures/trace-cmd-report/veth-ping.report', filter: NONE },
  { file: 'test/fixtures/perf/net-ping-callchain.perf', filter: NONE },
  { file: 'test/fixtures/strace/ping-f-tt-T-y.strace', filter: { task: 'ping', text: 'socket:[' } },
  { file: 'test/fixtures/strace/python-threads-mixed-output.strace', filter: NONE },
  { file: 'test/fixtures/strace/python-threads-mixed-output.strace', filter: { expr: 'event == "futex"' } },
  { file: 'test/fixtures/printf/bpftrace-net-kv.txt', filter: NONE },
  { file: 'test/fixtures/pcap/host-a.pcap', filter: NONE },
  { file: 'test/fixtures/pcap/bridge-multi.pcapng', filter: { expr: 'ip' } },
];

/** What `ktl events FILE --json` (and without --json) prints for `trace`. */
async function printed(trace: Trace, filter: EventFilter, limit: number): Promise<string> {
  let text = '';
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
  for (const json of [true, false]) {
    const out = new Output(stream);
    await writeEvents(trace, { json, count: false, filter, limit }, out);
    await out.end();
  }
  return text;
}

for (const c of CASES) {
  test(`ktl events --limit: ${c.file} ${JSON.stringify(c.filter)} prints what the whole read prints`, async () => {
    const whole = await loadTraceFile(c.file, { chunkBytes: CHUNK });
    const size = statSync(c.file).size;
    let stoppedEarly = 0;
    try {
      for (const limit of [0, 1, 10, 100, 1e9]) {
        const early = await loadTraceFile(c.file, { chunkBytes: CHUNK, ...stopAfter(limit, c.filter) });
        try {
          assert.equal(await printed(early, c.filter, limit), await printed(whole, c.filter, limit), `--limit ${limit}`);
          if (early.bytesRead < size) stoppedEarly++;
        } finally {
          early.close();
        }
      }
    } finally {
      whole.close();
    }
    assert.ok(stoppedEarly >= 2, `stopped early for --limit 0 and 1 at least (${stoppedEarly} times)`);
  });
}
