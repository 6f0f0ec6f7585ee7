// Run by bench/source-index.bench.mjs, bundled first (as ktl ships). Two modes, one JSON line out:
//   names TRACE...              function-tracer names of the traces, most frequent first:
//                               [[name, count], ...] (the reader's `function` events, the name
//                               as hits.ts takes it: compiler clones `foo.isra.0` count as foo)
//   index ROOT NAMES_JSON       opens ROOT's function index as `ktl hits` does (cache in
//                               KTL_CACHE_DIR; none there = cold) and looks the names up:
//                               {openSec, lookupSec, saveSec, names, found, definitions, files}
import { readFileSync } from 'node:fs';
import { loadTraceFile } from '../src/core/io/file-source';
import { openSourceIndex } from '../src/cli/source-index';

const FUNC = /^\s*([A-Za-z_][\w.]*)/;

async function names(files: string[]): Promise<void> {
  const counts = new Map<string, number>();
  for (const f of files) {
    const trace = await loadTraceFile(f);
    try {
      const fn = trace.strings.find('function');
      for (let i = 0; i < trace.length; i++) {
        if (trace.eventId(i) !== fn) continue;
        const name = FUNC.exec(trace.payloadText(i))?.[1]?.replace(/\..*$/, '');
        if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
    } finally {
      trace.close();
    }
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  process.stdout.write(`${JSON.stringify(sorted)}\n`);
}

async function index(root: string, namesFile: string): Promise<void> {
  const wanted = JSON.parse(readFileSync(namesFile, 'utf8')) as string[];
  const t0 = process.hrtime.bigint();
  const idx = await openSourceIndex(root);
  const t1 = process.hrtime.bigint();
  const defs = await idx.index.definitions(wanted);
  const t2 = process.hrtime.bigint();
  idx.save();
  const t3 = process.hrtime.bigint();
  let found = 0;
  let definitions = 0;
  const files = new Set<string>();
  const located: Record<string, string[]> = {};
  for (const [name, d] of defs) {
    if (d.length > 0) found++;
    definitions += d.length;
    for (const x of d) files.add(x.file);
    located[name] = d.map((x) => `${x.file}:${x.declLine}`);
  }
  const sec = (a: bigint, b: bigint): number => Number(b - a) / 1e9;
  process.stdout.write(
    `${JSON.stringify({ openSec: sec(t0, t1), lookupSec: sec(t1, t2), saveSec: sec(t2, t3), names: wanted.length, found, definitions, files: files.size, located })}\n`,
  );
}

const [mode, ...args] = process.argv.slice(2);
const run = mode === 'names' ? names(args) : mode === 'index' && args.length === 2 ? index(args[0] as string, args[1] as string) : null;
if (!run) {
  process.stderr.write('usage: source-index-measure names TRACE... | index ROOT NAMES_JSON\n');
  process.exit(1);
}
run.catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
