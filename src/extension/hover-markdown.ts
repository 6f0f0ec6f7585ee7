/**
 * The hover text of a line with hits. Every value from the trace (event names, task names,
 * field values) is attacker-controlled: it is escaped as plain text (control, zero-width and
 * bidirectional characters shown as escapes such as `\n` and `\u202e` by core's visibleText,
 * then every ASCII punctuation character backslash-escaped, lengths capped) and the
 * MarkdownString is untrusted, without HTML or command links.
 */
import * as vscode from 'vscode';
import { escapeMd } from './markdown-text';
import { varStatsMarkdown } from './var-stats-markdown';
import { mappingText, type VmlinuxState } from './mapping-text';
import { formatCount, plural, type AnnotatedHit, type LineHits } from './hits/model';

const MAX_ENTRIES = 8;
const MAX_TASKS = 8;
const MAX_CPUS = 64;
const MAX_VARS = 16;

export function untrustedMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function counts(record: Record<string, number>, label: (k: string) => string, max: number): string {
  const items = Object.entries(record).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = items.slice(0, max).map(([k, n]) => `${label(k)}: ${formatCount(n)}`);
  if (items.length > max) shown.push(`${items.length - max} more`);
  return shown.join(' · ');
}

function cpuCounts(cpus: Record<string, number>): string {
  // By CPU number, not by count: "CPU 1: 1 · CPU 2: 4" reads like the trace's own CPU column.
  const items = Object.entries(cpus).sort((a, b) => Number(a[0]) - Number(b[0]));
  const shown = items.slice(0, MAX_CPUS).map(([c, n]) => `CPU ${escapeMd(c, 8)}: ${formatCount(n)}`);
  if (items.length > MAX_CPUS) shown.push(`${items.length - MAX_CPUS} more`);
  return shown.join(' · ');
}

function entryMarkdown(md: vscode.MarkdownString, e: AnnotatedHit, vmlinux: VmlinuxState): void {
  md.appendMarkdown(`**${escapeMd(e.event)}** — ${plural(e.count, 'hit')} · ${mappingText(e, vmlinux)}\n\n`);
  md.appendMarkdown(`Per CPU: ${cpuCounts(e.cpus)}\n\n`);
  md.appendMarkdown(`Per task: ${counts(e.tasks, (k) => escapeMd(k, 40), MAX_TASKS)}\n\n`);
  if (e.sites > 1 && !e.picked) {
    md.appendMarkdown(
      `⚠ Ambiguous: ${escapeMd(e.event)} matches ${e.sites} sites and the trace does not say which one fired; each shows the whole count. ` +
        `Run “Kernel Trace: Pick Definition for Ambiguous Event” to annotate only one.\n\n`,
    );
  } else if (e.picked) {
    md.appendMarkdown(`You picked this site among ${e.sites} candidates (“Kernel Trace: Pick Definition for Ambiguous Event” changes it).\n\n`);
  }
  if (e.note !== null) md.appendMarkdown(`Note: ${escapeMd(e.note, 300)}\n\n`);
  md.appendMarkdown(varStatsMarkdown(e.vars, MAX_VARS));
}

export function lineHover(lh: LineHits, traceName: string, vmlinux: VmlinuxState): vscode.MarkdownString {
  const md = untrustedMarkdown();
  md.appendMarkdown(`**Kernel Trace Lens** · ${plural(lh.count, 'hit')} on line ${lh.line} · ${escapeMd(traceName)}\n\n`);
  const shown = lh.entries.slice(0, MAX_ENTRIES);
  shown.forEach((e, i) => {
    if (i > 0) md.appendMarkdown('---\n\n');
    entryMarkdown(md, e, vmlinux);
  });
  if (lh.entries.length > MAX_ENTRIES) md.appendMarkdown(`${lh.entries.length - MAX_ENTRIES} more events on this line (see the Kernel Trace view)\n`);
  return md;
}
