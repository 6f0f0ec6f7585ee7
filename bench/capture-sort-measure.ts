// Measures, in one process, how long reading a capture takes and how long the packet table's
// sorts take on it (src/worker/row-sort.ts: Source, Destination, Info, Length, both ways for
// Source), RUNS times; prints one JSON object. Run by bench/capture-sort.bench.mjs, bundled
// first: node bench/data/capture-sort-measure.cjs FILE RUNS
import { loadTraceFile } from '../src/core/io/file-source';
import { sortedRows } from '../src/worker/row-sort';
import type { SortColumn } from '../src/protocol/messages';

async function main(): Promise<void> {
  const [file, runsArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: capture-sort-measure.ts FILE [RUNS]');
  const runs = Number(runsArg ?? 3);
  const readSec: number[] = [];
  const sortSec: Record<string, number[]> = {};
  const columns: [SortColumn, boolean][] = [
    ['source', false],
    ['source', true],
    ['destination', false],
    ['info', false],
    ['length', false],
  ];
  let packets = 0;
  let firstSource = -1;
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const trace = await loadTraceFile(file);
    readSec.push(Number(process.hrtime.bigint() - t0) / 1e9);
    packets = trace.length;
    for (const [column, descending] of columns) {
      const t1 = process.hrtime.bigint();
      const list = sortedRows(trace, null, { column, descending });
      const key = `${column}${descending ? ' desc' : ''}`;
      (sortSec[key] ??= []).push(Number(process.hrtime.bigint() - t1) / 1e9);
      if (column === 'source' && !descending) firstSource = list[0] ?? -1;
    }
    trace.close();
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const read = median(readSec);
  const sorts = Object.fromEntries(Object.entries(sortSec).map(([k, v]) => [k, { sec: median(v), overRead: median(v) / read }]));
  console.log(JSON.stringify({ file, packets, runs, readSec: read, sorts, firstSource }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
