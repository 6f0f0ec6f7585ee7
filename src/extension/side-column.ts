/**
 * Pure: which editor column is the trace editor's side group. Kept apart from side-group.ts
 * (which imports `vscode`) so the rule is unit-tested without an editor.
 *
 * The rule: the column right of the trace editor's, chosen once and reused while it still
 * exists and is not the trace editor's own column (the user may have dragged the editor
 * there, or closed groups so the columns renumbered). ViewColumn.Beside is never used while
 * a trace editor is known: it is relative to the *active* group, so every click from the side
 * group would open one more group.
 */

/** The side column for a trace editor in `traceColumn`, given the one `remembered` for it and the columns open now; null: no trace editor is known. */
export function sideColumn(traceColumn: number | undefined, remembered: number | undefined, openColumns: readonly number[]): number | null {
  if (traceColumn === undefined) return null;
  if (remembered !== undefined && remembered !== traceColumn && openColumns.includes(remembered)) return remembered;
  return traceColumn + 1;
}
