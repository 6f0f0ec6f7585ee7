/**
 * Compare with… and Export… for the worker's loaded trace (issue 16). The other file of a
 * comparison is read here, compared and closed: it never stays in memory beside the trace.
 * Hits (when a source tree is configured) come from the same source index as `hits`.
 */
import { basename } from 'node:path';
import type { Trace } from '../core/trace/trace';
import { loadTraceFile } from '../core/io/file-source';
import { diffTraces, type TraceDiff } from '../core/analysis/diff/trace-diff';
import { exportToFile, type ExportFormat, type ExportResult } from '../core/io/export-file';
import { builtinModel, builtinModelNames } from '../core/analysis/lifecycle/models/index';
import type { LifecycleModel } from '../core/analysis/lifecycle/model';
import type { ReaderOptions } from '../core/formats/reader-options';
import type { SourceConfig } from '../protocol/worker-messages';
import { traceHits } from './source-service';

/** Buckets per side of the Compare page's stacked timelines: ~3 px each at 800 px. */
const ACTIVITY_BUCKETS = 240;

function models(): LifecycleModel[] {
  return builtinModelNames().map((n) => builtinModel(n) as LifecycleModel);
}

export async function compareWith(trace: Trace, name: string, other: { path: string; name: string; readerOptions: ReaderOptions }, source: SourceConfig | null): Promise<TraceDiff> {
  const b = await loadTraceFile(other.path, { readerOptions: other.readerOptions });
  try {
    const hitsA = source ? (await traceHits(trace, source)).hits : undefined;
    const hitsB = source ? (await traceHits(b, source)).hits : undefined;
    return diffTraces({ name, trace, ...(hitsA ? { hits: hitsA } : {}) }, { name: other.name, trace: b, ...(hitsB ? { hits: hitsB } : {}) }, { models: models(), activityBuckets: ACTIVITY_BUCKETS });
  } finally {
    b.close();
  }
}

export async function exportTrace(trace: Trace, fileName: string, format: ExportFormat, out: string, source: SourceConfig | null): Promise<ExportResult> {
  const hits = format === 'parquet' && source ? (await traceHits(trace, source)).hits : undefined;
  return exportToFile(trace, { format, out, file: basename(fileName), models: models(), ...(hits ? { hits } : {}) });
}
