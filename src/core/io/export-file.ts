/**
 * Exports written to files (core/analysis/export): the format chosen by name, the output
 * written in chunks as it is made (a text chunk of ~1 MiB at a time, parquet row groups as
 * they are encoded), to `PATH.partial` first and renamed at the end, so a failed or cancelled
 * export never leaves a file that looks complete.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ByteWriter, type Writer } from 'hyparquet-writer';
import type { Trace } from '../trace/trace';
import type { LifecycleModel } from '../analysis/lifecycle/model';
import { exportJsonl } from '../analysis/export/jsonl';
import { exportPerfetto } from '../analysis/export/perfetto';
import { exportParquet, exportParquetFindings, exportParquetHits, exportParquetMeta, type FindingRow } from '../analysis/export/parquet';
import { analyzeLifecycles } from '../analysis/lifecycle/analyze';
import { findings as captureFindings } from '../analysis/capture/findings';
import { isCapture } from '../formats/capture/common';
import type { HitEntry } from '../analysis/hits';
import type { TextSink } from '../analysis/export/text-sink';
import type { ExportFormat } from '../analysis/export/formats';
import type { LatencySpec } from '../analysis/latency';

export { EXPORT_FORMATS, isExportFormat, type ExportFormat } from '../analysis/export/formats';

export interface ExportRequest {
  readonly format: ExportFormat;
  readonly out: string;
  /** parquet: hits on kernel source lines (analysis/hits), written as the hits table. */
  readonly hits?: readonly HitEntry[];
  /** The trace's file name, recorded in the output. */
  readonly file: string;
  readonly models?: readonly LifecycleModel[];
  readonly batchRows?: number;
  /** perfetto: pairings drawn as async slices (analysis/latency.ts). */
  readonly pairs?: readonly LatencySpec[];
}

export interface ExportResult {
  readonly events: number;
  readonly files: string[];
  /** perfetto with pairs: slices written, and pairs left out because their close precedes their open. */
  readonly pairs?: { readonly written: number; readonly backwards: number };
}

/**
 * The parquet export's other tables sit beside the events table: OUT.parquet ->
 * OUT.meta.parquet, OUT.findings.parquet, OUT.hits.parquet (a fleet keeps one folder per trace,
 * so `exports/NAME/events.parquet` and `exports/NAME/events.findings.parquet` are separate globs).
 */
export function siblingPath(out: string, table: 'meta' | 'findings' | 'hits'): string {
  const base = basename(out).replace(/\.parquet$/i, '');
  return join(dirname(out), `${base}.${table}.parquet`);
}

/** Lifecycle findings of each model (traces) and capture findings (both), as table rows. */
function findingRows(trace: Trace, file: string, models: readonly LifecycleModel[]): FindingRow[] {
  const rows: FindingRow[] = [];
  if (!isCapture(trace.meta.format)) {
    for (const m of models) for (const f of analyzeLifecycles(trace, m).findings) rows.push({ analysis: `lifecycle:${m.name}`, finding: f });
  }
  for (const f of captureFindings([{ name: file, trace }])) rows.push({ analysis: 'capture', finding: f });
  return rows;
}

class FileTextSink implements TextSink {
  constructor(private readonly fd: number) {}
  write(chunk: string): void {
    const b = Buffer.from(chunk, 'utf8');
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off);
  }
}

/** hyparquet-writer's ByteWriter, emptied into the file whenever a row group is done or 1 MiB has gathered. */
function fileParquetWriter(fd: number): Writer {
  const w = new ByteWriter();
  const flush = (): void => {
    let off = 0;
    const bytes = new Uint8Array(w.buffer, 0, w.index);
    while (off < bytes.length) off += writeSync(fd, bytes, off);
    w.index = 0;
  };
  const ensure = w.ensure.bind(w);
  w.ensure = (size: number): void => {
    if (w.index > 1 << 20) flush();
    ensure(size);
  };
  // ParquetWriter calls flush() after each row group and finish() at the end.
  (w as Writer & { flush?: () => void }).flush = flush;
  w.finish = flush;
  return w;
}

async function toFile<T>(path: string, write: (fd: number) => Promise<T> | T): Promise<T> {
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const r = await write(fd);
    closeSync(fd);
    renameSync(partial, path);
    return r;
  } catch (err) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw err;
  }
}

export async function exportToFile(trace: Trace, req: ExportRequest): Promise<ExportResult> {
  switch (req.format) {
    case 'jsonl': {
      const events = await toFile(req.out, (fd) => exportJsonl(trace, new FileTextSink(fd)));
      return { events, files: [req.out] };
    }
    case 'perfetto': {
      const s = await toFile(req.out, (fd) => exportPerfetto(trace, new FileTextSink(fd), { file: req.file, ...(req.models ? { models: req.models } : {}), ...(req.pairs ? { pairs: req.pairs } : {}) }));
      return { events: s.instants, files: [req.out], ...(req.pairs ? { pairs: { written: s.pairs, backwards: s.pairsBackwards } } : {}) };
    }
    case 'parquet': {
      const meta = siblingPath(req.out, 'meta');
      const found = siblingPath(req.out, 'findings');
      const events = await toFile(req.out, (fd) => exportParquet(trace, fileParquetWriter(fd), { file: req.file, ...(req.batchRows !== undefined ? { batchRows: req.batchRows } : {}) }));
      await toFile(meta, (fd) => exportParquetMeta(trace, fileParquetWriter(fd), { file: req.file }));
      const rows = findingRows(trace, req.file, req.models ?? []);
      await toFile(found, (fd) => exportParquetFindings(trace, rows, fileParquetWriter(fd), { file: req.file }));
      const files = [req.out, meta, found];
      if (req.hits) {
        const hits = req.hits;
        const path = siblingPath(req.out, 'hits');
        await toFile(path, (fd) => exportParquetHits(hits, fileParquetWriter(fd), { file: req.file }));
        files.push(path);
      }
      return { events, files };
    }
  }
}
