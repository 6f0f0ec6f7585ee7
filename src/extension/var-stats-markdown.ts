/**
 * Pure: the variable statistics of a hover, one Markdown line per variable. Not a table: VS
 * Code's hover draws Markdown tables without cell padding, so "addr5" ran "distinct" into
 * "min" and a value into the next. Values are untrusted (escapeMd, lengths capped).
 */
import type { ValueStats } from '../core/analysis/hits';
import { formatCount } from './hits/model';
import { escapeMd } from './markdown-text';

export function varStatsMarkdown(vars: Readonly<Record<string, ValueStats>>, max: number): string {
  const entries = Object.entries(vars);
  if (entries.length === 0) return '';
  const lines = entries.slice(0, max).map(([name, v]) => {
    const parts = [`${formatCount(v.distinct)} distinct`];
    if (v.min !== null) parts.push(`min ${escapeMd(v.min, 40)}`);
    if (v.max !== null) parts.push(`max ${escapeMd(v.max, 40)}`);
    if (v.top.length > 0) parts.push(`most frequent ${v.top.map(([val, n]) => `${escapeMd(val, 40)} ×${formatCount(n)}`).join(', ')}`);
    return `- **${escapeMd(name, 40)}**: ${parts.join(' · ')}`;
  });
  if (entries.length > max) lines.push(`- ${entries.length - max} more variables`);
  return `Variables:\n\n${lines.join('\n')}\n\n`;
}
