// The fleet recipe of src/core/analysis/export/README.md, run for real: every fixture exported to
// parquet (in small row groups, so a file has many), three of them through the README's
// `xargs -P 2 ... ktl export` line, then DuckDB (@duckdb/node-api, a devDependency used only
// here) queries all exports at once. Counts are checked against `ktl stats` (per file and per
// event name), against the lifecycle analysis (which traces have a FIFO-order finding), and
// against the trace text (the NETFILTER_DROP frees of drop-half.trace, read through the MAP column).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadTraceFile } from '../../src/core/io/file-source';
import { exportToFile } from '../../src/core/io/export-file';
import { computeStats } from '../../src/core/analysis/stats';
import { analyzeLifecycles } from '../../src/core/analysis/lifecycle/analyze';
import { computeHits, type HitEntry } from '../../src/core/analysis/hits';
import { builtinModel, builtinModelNames } from '../../src/core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../../src/core/analysis/lifecycle/model';
import { runKtl } from '../helpers/lifecycle-golden';
import { LINUX_SKIP, linuxIndex } from '../helpers/source';

const MODELS = builtinModelNames().map((n) => builtinModel(n) as LifecycleModel);
const dir = (d: string, ext: RegExp): string[] =>
  readdirSync(d)
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => join(d, f));
const VIA_CLI = ['test/fixtures/diff/drop-none.trace', 'test/fixtures/diff/drop-half.trace', 'test/fixtures/ftrace/seed004-fifo-break.trace'];
const IN_PROCESS = [...dir('test/fixtures/ftrace', /\.trace$/), ...dir('test/fixtures/pcap', /\.pcapn?g?$/)].filter((f) => !VIA_CLI.includes(f));

async function rows(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

test('fleet recipe: ktl export to parquet, one DuckDB query over all of them, counts as ktl stats says', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ktl-fleet-'));
  try {
    // The README's line, with ktl run from the sources.
    const ktl = `${process.execPath} --import tsx src/cli/main.ts`;
    execFileSync('sh', ['-c', `printf '%s\\n' "$@" | xargs -P 2 -I{} sh -c 'n=$(basename "$1"); mkdir -p "${out}/$n" && ${ktl} export "$1" --to parquet --out "${out}/$n/events.parquet" --batch 50 >/dev/null' _ {}`, 'sh', ...VIA_CLI]);
    const expected = new Map<string, { events: number; byEvent: Map<string, number>; fifo: number }>();
    for (const f of VIA_CLI) {
      const s = JSON.parse(runKtl(['stats', f, '--json'])) as { events: number; eventCounts: Record<string, number> };
      const life = JSON.parse(runKtl(['lifecycle', f, '--model', 'af-xdp', '--json', '--summary'])) as { findings: { kind: string }[] };
      const skb = JSON.parse(runKtl(['lifecycle', f, '--model', 'skb', '--json', '--summary'])) as { findings: { kind: string }[] };
      const fifo = [...life.findings, ...skb.findings].filter((x) => x.kind === 'fifo-order').length;
      expected.set(basename(f), { events: s.events, byEvent: new Map(Object.entries(s.eventCounts)), fifo });
    }
    for (const f of IN_PROCESS) {
      const trace = await loadTraceFile(f);
      try {
        const name = basename(f);
        mkdirSync(join(out, name));
        const r = await exportToFile(trace, { format: 'parquet', out: join(out, name, 'events.parquet'), file: name, models: MODELS, batchRows: 100 });
        const s = computeStats(trace);
        assert.equal(r.events, s.events);
        let fifo = 0;
        if (trace.meta.format !== 'pcap' && trace.meta.format !== 'pcapng') for (const m of MODELS) fifo += analyzeLifecycles(trace, m).findings.filter((x) => x.kind === 'fifo-order').length;
        expected.set(name, { events: s.events, byEvent: new Map(s.eventCounts), fifo });
      } finally {
        trace.close();
      }
    }
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const events = `read_parquet('${out}/*/events.parquet')`;
    // Rows per trace.
    const perFile = await rows(c, `SELECT file, count(*) AS n FROM ${events} GROUP BY file ORDER BY file`);
    assert.deepEqual(
      perFile.map((r) => [r.file, Number(r.n)]),
      [...expected].filter(([, e]) => e.events > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([name, e]) => [name, e.events]),
    );
    // Rows per trace and event name.
    const perEvent = await rows(c, `SELECT file, event, count(*) AS n FROM ${events} GROUP BY ALL`);
    let total = 0;
    for (const e of expected.values()) total += [...e.byEvent.values()].reduce((a, b) => a + b, 0);
    assert.equal(perEvent.length, [...expected.values()].reduce((a, e) => a + e.byEvent.size, 0));
    for (const r of perEvent) assert.equal(Number(r.n), expected.get(r.file as string)?.byEvent.get(r.event as string), `${String(r.file)} ${String(r.event)}`);
    assert.equal(perEvent.reduce((a, r) => a + Number(r.n), 0), total);
    // The metadata tables agree.
    const meta = await rows(c, `SELECT file, events, format FROM read_parquet('${out}/*/events.meta.parquet') ORDER BY file`);
    assert.equal(meta.length, expected.size);
    for (const m of meta) assert.equal(Number(m.events), expected.get(m.file as string)?.events);
    // Every trace with a FIFO-order finding: the README's query.
    const fifo = await rows(c, `SELECT file, count(*) AS findings FROM read_parquet('${out}/*/events.findings.parquet') WHERE kind = 'fifo-order' GROUP BY file ORDER BY file`);
    const want = [...expected].filter(([, e]) => e.fifo > 0).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, e]) => [n, e.fifo]);
    assert.ok(want.length > 0, 'some fixture has a FIFO-order finding (seed004-fifo-break.trace)');
    assert.deepEqual(fifo.map((r) => [r.file, Number(r.findings)]), want);
    // Fields as a MAP: the frees netfilter made in drop-half.trace, counted in its text.
    const text = readFileSync('test/fixtures/diff/drop-half.trace', 'utf8').split('\n').filter((l) => /kfree_skb: .* location=nft_do_chain\+/.test(l)).length;
    const [nf] = await rows(c, `SELECT count(*) AS n FROM ${events} WHERE event = 'kfree_skb' AND starts_with(fields['location'], 'nft_do_chain+')`);
    assert.equal(Number(nf?.n), text);
    assert.ok(text > 0);
    // Absolute times: the first event of drop-none.trace is at its printed timestamp.
    const first = readFileSync('test/fixtures/diff/drop-none.trace', 'utf8').split('\n').find((l) => !l.startsWith('#') && l.trim() !== '') as string;
    const stamp = /\s(\d+)\.(\d{6}):/.exec(first);
    const [t0] = await rows(c, `SELECT min(ts_ns) AS t FROM ${events} WHERE file = 'drop-none.trace'`);
    assert.equal(String(t0?.t), `${stamp?.[1]}${stamp?.[2]}000`);
    c.closeSync();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('fleet recipe: top source lines by hits across traces (hits tables, Linux 6.1 source)', { skip: LINUX_SKIP }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'ktl-fleet-hits-'));
  try {
    const { index, tree } = await linuxIndex();
    const all: HitEntry[] = [];
    for (const f of ['test/fixtures/diff/drop-none.trace', 'test/fixtures/diff/drop-half.trace', 'test/fixtures/ftrace/veth-ping.trace']) {
      const trace = await loadTraceFile(f);
      try {
        const { hits } = await computeHits(trace, index, tree);
        all.push(...hits);
        mkdirSync(join(out, basename(f)));
        await exportToFile(trace, { format: 'parquet', out: join(out, basename(f), 'events.parquet'), file: basename(f), hits });
      } finally {
        trace.close();
      }
    }
    const sums = new Map<string, { file: string; line: number; hits: number }>();
    for (const h of all) {
      const k = `${h.file}:${h.line}`;
      const e = sums.get(k) ?? { file: h.file, line: h.line, hits: 0 };
      e.hits += h.count;
      sums.set(k, e);
    }
    const top = [...sums.values()]
      .sort((a, b) => b.hits - a.hits || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line))
      .slice(0, 5)
      .map((e) => [`${e.file}:${e.line}`, e.hits]);
    assert.ok(top.length > 0);
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const got = await rows(c, `SELECT src_file, src_line, sum(count) AS hits FROM read_parquet('${out}/*/events.hits.parquet') GROUP BY ALL ORDER BY hits DESC, src_file, src_line LIMIT 5`);
    assert.deepEqual(
      got.map((r) => [`${String(r.src_file)}:${String(r.src_line)}`, Number(r.hits)]),
      top,
    );
    c.closeSync();
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
