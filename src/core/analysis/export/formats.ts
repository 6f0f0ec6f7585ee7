/** The export formats by name (`ktl export --to`, Export…'s pick list). */
export const EXPORT_FORMATS = ['perfetto', 'parquet', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}
