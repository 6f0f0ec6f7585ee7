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

/**
 * A trace editor in `panelColumn` sits in the side group of the base trace editor (in
 * `baseColumn`, its side group `baseSide`): a capture we opened there. It is not a base of its
 * own (its side group would be a third group); what it opens stays in its group.
 */
export function inSideGroupOf(panelColumn: number | undefined, baseColumn: number | undefined, baseSide: number | undefined): boolean {
  return panelColumn !== undefined && baseSide !== undefined && panelColumn !== baseColumn && panelColumn === baseSide;
}
