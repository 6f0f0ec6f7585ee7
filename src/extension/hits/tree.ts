/**
 * The "Kernel Trace" view (Explorer): events of the annotated trace -> the source lines they
 * map to; a click opens the line. Ambiguous names (several static definitions, several
 * tracepoint call sites) say so and offer the pick; events that map to no line are listed
 * with the reason. Labels are plain text (tree items never render Markdown from the trace).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HitEntry } from '../../core/analysis/hits';
import { plural, siteKey, type EventSites } from './model';
import type { HitsStore } from './store';
import { beforeAfter, type CompareStore } from '../compare/store';
import type { HitsDiffRow } from '../../core/analysis/diff/hits-diff';
import { visibleText } from '../../core/trace/visible-text';

export const OPEN_SITE_COMMAND = 'kernelTrace.openSite';
/** Above this many events the event nodes start collapsed. */
const EXPAND_ALL_BELOW = 20;
/** Lines listed under "Changed most" after Compare with…. */
const CHANGED_LINES = 50;

export type HitsNode =
  | { readonly kind: 'event'; readonly event: EventSites }
  | { readonly kind: 'site'; readonly event: EventSites; readonly site: HitEntry }
  | { readonly kind: 'unmappedGroup'; readonly count: number }
  | { readonly kind: 'unmapped'; readonly event: string; readonly count: number; readonly reason: string }
  /** Compare with…: the source lines whose hits changed most between the two traces. */
  | { readonly kind: 'compareGroup'; readonly a: string; readonly b: string; readonly count: number }
  | { readonly kind: 'compareLine'; readonly row: HitsDiffRow };

const MAPPING_WORDS: Record<HitEntry['mapping'], string> = {
  'probe-line': 'probe line',
  'probe-entry': 'probe on the entry',
  'probe-return': 'return probe (closing brace)',
  'probe-symbol': 'kprobe offset, shown on the function line (no DWARF)',
  'tracepoint-call': 'tracepoint call site',
  'function-entry': 'function tracer, entry',
  'probe-offset': 'kprobe offset, exact line (addr2line)',
  'sample-symbol': 'sampled addresses in this function',
};

function where(h: HitEntry): string {
  return `${h.file}:${h.line}`;
}

export class HitsTreeProvider implements vscode.TreeDataProvider<HitsNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private view: vscode.TreeView<HitsNode> | undefined;
  private readonly sub: vscode.Disposable;

  private readonly compareSub: vscode.Disposable | undefined;

  constructor(
    private readonly store: HitsStore,
    private readonly compare?: CompareStore,
  ) {
    this.sub = store.onDidChange(() => {
      this.changeEmitter.fire();
      this.describe();
    });
    this.compareSub = compare?.onDidChange(() => this.changeEmitter.fire());
  }

  attach(view: vscode.TreeView<HitsNode>): void {
    this.view = view;
    this.describe();
  }

  getChildren(node?: HitsNode): HitsNode[] {
    if (node?.kind === 'compareGroup') return (this.compare?.changed(CHANGED_LINES) ?? []).map((row) => ({ kind: 'compareLine', row }));
    const cmp = this.compare?.comparison;
    const changed = cmp ? (cmp.diff.lines ?? []).filter((r) => r.diff !== 0).length : 0;
    const compareNode: HitsNode[] = cmp && changed > 0 ? [{ kind: 'compareGroup', a: cmp.diff.a.name, b: cmp.diff.b.name, count: changed }] : [];
    const model = this.store.model;
    if (!model) return node === undefined ? compareNode : [];
    if (node === undefined) {
      const out: HitsNode[] = [...compareNode, ...model.byEvent.map((event): HitsNode => ({ kind: 'event', event }))];
      const unmapped = model.result.unmapped;
      if (unmapped.length > 0) out.push({ kind: 'unmappedGroup', count: unmapped.length });
      return out;
    }
    if (node.kind === 'event') return node.event.sites.map((site) => ({ kind: 'site', event: node.event, site }));
    if (node.kind === 'unmappedGroup') return model.result.unmapped.map((u) => ({ kind: 'unmapped', ...u }));
    return [];
  }

  /**
   * Event names, file names and functions come from the trace and the workspace: their control
   * and direction characters are shown as escapes (`\u202e`) in the label, description and
   * tooltip, as everywhere else (core/trace/visible-text.ts).
   */
  getTreeItem(node: HitsNode): vscode.TreeItem {
    const item = this.treeItem(node);
    if (typeof item.label === 'string') item.label = visibleText(item.label);
    if (typeof item.description === 'string') item.description = visibleText(item.description);
    if (typeof item.tooltip === 'string') item.tooltip = visibleText(item.tooltip, true);
    return item;
  }

  private treeItem(node: HitsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'event': {
        const e = node.event;
        const single = e.sites.length === 1 ? e.sites[0] : undefined;
        const many = (this.store.model?.byEvent.length ?? 0) > EXPAND_ALL_BELOW;
        const item = new vscode.TreeItem(e.event, many ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        const ambiguous = e.sites.length > 1 && e.picked === null;
        if (single) item.description = `${plural(e.count, 'hit')} · ${path.posix.basename(single.file)}:${single.line}`;
        else if (ambiguous) item.description = `${plural(e.count, 'hit')} · ambiguous: ${e.sites.length} sites`;
        else item.description = `${plural(e.count, 'hit')} · picked ${e.picked ?? ''} (of ${e.sites.length})`;
        item.iconPath = new vscode.ThemeIcon(ambiguous ? 'warning' : 'pulse');
        item.tooltip = ambiguous
          ? `${e.event}: ${plural(e.count, 'event')}. Ambiguous: ${e.sites.length} sites match (${e.sites.map(where).join(', ')}); the trace does not say which one fired, so each is annotated with the whole count. Use "Pick Definition" to annotate one.`
          : `${e.event}: ${plural(e.count, 'event')}${single ? ` at ${where(single)} (${MAPPING_WORDS[single.mapping]})` : ''}`;
        if (single) item.command = { command: OPEN_SITE_COMMAND, title: 'Open Line', arguments: [single.file, single.line] };
        item.contextValue = e.sites.length > 1 ? 'kernelTrace.ambiguousEvent' : 'kernelTrace.event';
        item.id = `event:${e.event}`;
        return item;
      }
      case 'site': {
        const s = node.site;
        const item = new vscode.TreeItem(`${path.posix.basename(s.file)}:${s.line}`, vscode.TreeItemCollapsibleState.None);
        const key = siteKey(s.file, s.line);
        const state = node.event.sites.length === 1 ? '' : node.event.picked === null ? ' · candidate' : node.event.picked === key ? ' · picked' : ' · not annotated';
        item.description = `${path.posix.dirname(s.file)}${s.function ? ` · ${s.function}` : ''}${state}`;
        item.tooltip = `${where(s)}: ${MAPPING_WORDS[s.mapping]}${s.note ? `\n${s.note}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(node.event.picked === key ? 'pass-filled' : 'go-to-file');
        item.command = { command: OPEN_SITE_COMMAND, title: 'Open Line', arguments: [s.file, s.line] };
        item.contextValue = node.event.sites.length > 1 ? 'kernelTrace.ambiguousSite' : 'kernelTrace.site';
        item.id = `site:${node.event.event}:${key}`;
        return item;
      }
      case 'unmappedGroup': {
        const item = new vscode.TreeItem('Not on a source line', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = plural(node.count, 'event name');
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        item.id = 'unmapped';
        return item;
      }
      case 'compareGroup': {
        const item = new vscode.TreeItem('Changed most', vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.a} → ${node.b} · ${plural(node.count, 'line')}`;
        item.tooltip = `Source lines whose hits differ between ${node.a} (before) and ${node.b} (after), biggest change first`;
        item.iconPath = new vscode.ThemeIcon('diff');
        item.id = 'compare';
        return item;
      }
      case 'compareLine': {
        const r = node.row;
        const item = new vscode.TreeItem(`${path.posix.basename(r.file)}:${r.line}`, vscode.TreeItemCollapsibleState.None);
        item.description = `${beforeAfter(r.a, r.b)} · ${r.event}`;
        item.tooltip = `${r.file}:${r.line} (${r.event}${r.function ? `, ${r.function}` : ''}): ${beforeAfter(r.a, r.b)}`;
        item.iconPath = new vscode.ThemeIcon(r.b > r.a ? 'arrow-up' : 'arrow-down');
        item.command = { command: OPEN_SITE_COMMAND, title: 'Open Line', arguments: [r.file, r.line] };
        item.id = `compare:${r.file}:${r.line}:${r.event}`;
        return item;
      }
      case 'unmapped': {
        const item = new vscode.TreeItem(node.event, vscode.TreeItemCollapsibleState.None);
        item.description = `${plural(node.count, 'hit')} · ${node.reason}`;
        item.tooltip = `${node.event}: ${node.reason}`;
        item.id = `unmapped:${node.event}`;
        return item;
      }
    }
  }

  /** The view's description (which trace) and its message when there is nothing to list. */
  private describe(): void {
    if (!this.view) return;
    const state = this.store.activeState;
    this.view.description = this.store.traceName ?? '';
    switch (state?.kind) {
      case undefined:
        this.view.message = 'Open a trace (ftrace, trace-cmd, perf script) to see its events on the kernel source lines.';
        break;
      case 'loading':
        this.view.message = 'Reading the trace…';
        break;
      case 'computing':
        this.view.message = 'Mapping the events to source lines…';
        break;
      case 'noSource':
      case 'failed':
        this.view.message = state.message;
        break;
      case 'ready':
        this.view.message = state.result.hits.length === 0 ? `No event of this trace maps to a line under ${state.root.path}.` : undefined;
        break;
    }
  }

  dispose(): void {
    this.sub.dispose();
    this.compareSub?.dispose();
    this.changeEmitter.dispose();
  }
}
