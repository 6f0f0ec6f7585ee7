/**
 * Messages of the Compare with… panel (webview/compare): the host sends the comparison once the
 * page says it is ready; the page asks to open a source line of a row. The diff is data from
 * two untrusted files: the page writes every string with textContent.
 */
import type { TraceDiff } from '../core/analysis/diff/trace-diff';
import type { ActivityDiff, ActivityRow } from '../core/analysis/diff/activity';

export type { TraceDiff, ActivityDiff, ActivityRow };

export type CompareToWebview = { readonly type: 'diff'; readonly diff: TraceDiff; readonly hasSource: boolean };

export type CompareFromWebview = { readonly type: 'ready' } | { readonly type: 'openLine'; readonly file: string; readonly line: number };

/** Guard for messages from the compare page (anything else is dropped). */
export function isCompareFromWebview(m: unknown): m is CompareFromWebview {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (o.type === 'ready') return true;
  return o.type === 'openLine' && typeof o.file === 'string' && o.file.length < 4096 && typeof o.line === 'number' && Number.isInteger(o.line) && o.line >= 1;
}
