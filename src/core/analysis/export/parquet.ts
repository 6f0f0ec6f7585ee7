/**
 * `parquet` export: one row per event, for DuckDB, Spark, Polars, BigQuery (issue 16), and a
 * one-row metadata table per trace. Written with hyparquet-writer (see README.md for why):
 * rows are gathered in batches of `batchRows` and each batch goes out as its own row groups,
 * so memory holds one batch of columns, never a second copy of the trace.
 *
 * Events table:
 *   ts_ns   INT64   absolute time, ns (the trace's origin + the event's offset: exact)
 *   cpu     INT32   CPU (interface index for captures)
 *   pid     INT32   -1 when unknown
 *   comm    STRING
 *   event   STRING  event name (protocol for packets)
 *   line    INT32   1-based line of the source file (packet number for captures)
 *   file    STRING  the trace's file name, so many exports can be read as one table
 *   fields  MAP<STRING, STRING>  the decoded fields
 * Metadata table: file, format, tracer, clock (how times were made: timestamps, counter,
 * ...), origin_ns, events, duration_ns, lost_events.
 * Findings table: file, analysis (`lifecycle:<model>` or `capture`), kind, line (packet number
 * for captures), ts_ns, cpu, key (the lifecycle object), message — one row per finding.
 * Hits table (when a source tree is given): file, src_file, src_line, event, function, count.
 */
import { ParquetWriter, parquetWrite, type ColumnSource, type SchemaElement, type Writer } from 'hyparquet-writer';
import type { Trace } from '../../trace/trace';
import { eventJson } from '../../formats/decode';
import { computeStats } from '../stats';
import type { Finding as LifecycleFinding } from '../lifecycle/analyze';
import type { Finding as CaptureFinding } from '../capture/findings';
import type { HitEntry } from '../hits';

export const DEFAULT_BATCH_ROWS = 65_536;

const EVENTS_SCHEMA: SchemaElement[] = [
  { name: 'root', num_children: 8 },
  { name: 'ts_ns', type: 'INT64', repetition_type: 'REQUIRED' },
  { name: 'cpu', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'pid', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'comm', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'event', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'line', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'file', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'fields', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
  { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
  { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];

export interface ParquetExportOptions {
  /** The trace's file name, written in every row and in the metadata table. */
  readonly file: string;
  readonly batchRows?: number;
}

/** Writes the events table to `writer` (hyparquet-writer's Writer: a file writer from core/io). */
export async function exportParquet(trace: Trace, writer: Writer, opts: ParquetExportOptions): Promise<number> {
  const batch = Math.max(1, opts.batchRows ?? DEFAULT_BATCH_ROWS);
  const pw = new ParquetWriter({ writer, schema: EVENTS_SCHEMA, createdBy: 'kernel-trace-lens', kvMetadata: [{ key: 'ktl.file', value: opts.file }] });
  const n = trace.length;
  for (let start = 0; start < n; start += batch) {
    const end = Math.min(n, start + batch);
    const rows = end - start;
    const ts = new BigInt64Array(rows);
    const cpu = new Int32Array(rows);
    const pid = new Int32Array(rows);
    const line = new Int32Array(rows);
    const comm: string[] = new Array<string>(rows);
    const event: string[] = new Array<string>(rows);
    const file: string[] = new Array<string>(rows).fill(opts.file);
    const fields: Record<string, string>[] = new Array<Record<string, string>>(rows);
    for (let i = start; i < end; i++) {
      const k = i - start;
      const j = eventJson(trace, i);
      ts[k] = trace.absNs(i);
      cpu[k] = j.cpu;
      pid[k] = j.pid;
      line[k] = j.line;
      comm[k] = j.comm;
      event[k] = j.event;
      fields[k] = j.fields;
    }
    const columnData: ColumnSource[] = [
      { name: 'ts_ns', data: ts },
      { name: 'cpu', data: cpu },
      { name: 'pid', data: pid },
      { name: 'comm', data: comm },
      { name: 'event', data: event },
      { name: 'line', data: line },
      { name: 'file', data: file },
      { name: 'fields', data: fields },
    ];
    await pw.write({ columnData, rowGroupSize: rows });
  }
  await pw.finish();
  return n;
}

/** Writes the one-row metadata table of `trace` to `writer`. */
export function exportParquetMeta(trace: Trace, writer: Writer, opts: { readonly file: string }): void {
  const s = computeStats(trace);
  let lost = 0;
  for (const l of trace.lost) lost += l.count ?? 0;
  parquetWrite({
    writer,
    createdBy: 'kernel-trace-lens',
    columnData: [
      { name: 'file', data: [opts.file], type: 'STRING', nullable: false },
      { name: 'format', data: [trace.meta.format], type: 'STRING', nullable: false },
      { name: 'tracer', data: [trace.meta.tracer], type: 'STRING' },
      { name: 'clock', data: [trace.meta.timeSource], type: 'STRING', nullable: false },
      { name: 'origin_ns', data: [trace.originNs], type: 'INT64', nullable: false },
      { name: 'events', data: [BigInt(s.events)], type: 'INT64', nullable: false },
      { name: 'duration_ns', data: [BigInt(Math.round(s.durationNs))], type: 'INT64', nullable: false },
      { name: 'lost_events', data: [BigInt(lost)], type: 'INT64', nullable: false },
    ],
  });
}

export interface FindingRow {
  readonly analysis: string;
  readonly finding: LifecycleFinding | CaptureFinding;
}

/** Writes the findings table (lifecycle findings of each model, capture findings) to `writer`. */
export function exportParquetFindings(trace: Trace, rows: readonly FindingRow[], writer: Writer, opts: { readonly file: string }): void {
  const lineOf = (f: LifecycleFinding | CaptureFinding): number | null => ('eventIndex' in f ? f.line : (f.packet ?? f.line ?? null));
  parquetWrite({
    writer,
    createdBy: 'kernel-trace-lens',
    columnData: [
      { name: 'file', data: rows.map(() => opts.file), type: 'STRING', nullable: false },
      { name: 'analysis', data: rows.map((r) => r.analysis), type: 'STRING', nullable: false },
      { name: 'kind', data: rows.map((r) => r.finding.kind), type: 'STRING', nullable: false },
      { name: 'line', data: rows.map((r) => lineOf(r.finding)), type: 'INT32' },
      { name: 'ts_ns', data: rows.map((r) => ('eventIndex' in r.finding ? trace.absNs(r.finding.eventIndex) : r.finding.timeNs !== undefined ? BigInt(r.finding.timeNs) : null)), type: 'INT64' },
      { name: 'cpu', data: rows.map((r) => ('eventIndex' in r.finding ? r.finding.cpu : null)), type: 'INT32' },
      { name: 'key', data: rows.map((r) => ('eventIndex' in r.finding ? r.finding.key : null)), type: 'STRING' },
      { name: 'message', data: rows.map((r) => r.finding.message), type: 'STRING', nullable: false },
    ],
  });
}

/** Writes the hits table (events per kernel source line, core/analysis/hits) to `writer`. */
export function exportParquetHits(hits: readonly HitEntry[], writer: Writer, opts: { readonly file: string }): void {
  parquetWrite({
    writer,
    createdBy: 'kernel-trace-lens',
    columnData: [
      { name: 'file', data: hits.map(() => opts.file), type: 'STRING', nullable: false },
      { name: 'src_file', data: hits.map((h) => h.file), type: 'STRING', nullable: false },
      { name: 'src_line', data: hits.map((h) => h.line), type: 'INT32', nullable: false },
      { name: 'event', data: hits.map((h) => h.event), type: 'STRING', nullable: false },
      { name: 'function', data: hits.map((h) => h.function), type: 'STRING' },
      { name: 'count', data: hits.map((h) => BigInt(h.count)), type: 'INT64', nullable: false },
    ],
  });
}
