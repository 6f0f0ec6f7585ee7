/**
 * The Compare with… page (issue 16): two traces or captures side by side, count tables with
 * B − A and B / A, biggest change first; lifecycle outcomes, findings and flows one side only
 * has; source lines that changed (click opens the line). Every string from the traces goes in
 * through textContent (dom.ts); colours are --vscode-* only (compare.css). Legible at 800 px:
 * the tables keep their numbers in fixed columns and let the key column wrap.
 */
import './compare.css';
import { el } from '../dom';
import { ActivityView } from './activity';
import type { CompareFromWebview, CompareToWebview, TraceDiff } from '../../src/protocol/compare-messages';

interface VsCodeApi {
  postMessage(msg: CompareFromWebview): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const api = acquireVsCodeApi();

interface Row {
  readonly key: string;
  readonly a: number;
  readonly b: number;
  readonly diff: number;
  readonly ratio: number | null;
  readonly rateA?: number;
  readonly rateB?: number;
}

/** Rows shown per table before "show all". */
const FIRST_ROWS = 25;

function fmtRatio(r: number | null): string {
  return r === null ? 'new' : `×${r.toFixed(2)}`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function section(title: string, note?: string): HTMLElement {
  const s = el('section', 'cmp-section');
  s.append(el('h2', 'cmp-title', title));
  if (note) s.append(el('p', 'cmp-note', note));
  return s;
}

function table(rows: readonly Row[], opts: { rates: boolean; onOpen?: (r: Row) => void }): HTMLElement {
  const wrap = el('div', 'cmp-table-wrap');
  const t = el('table', 'cmp-table');
  const head = el('tr');
  for (const h of ['', 'A', 'B', 'B − A', 'B / A', ...(opts.rates ? ['A /s', 'B /s'] : [])]) head.append(el('th', h === '' ? 'cmp-key' : 'cmp-num', h));
  t.append(el('thead'), el('tbody'));
  (t.tHead as HTMLTableSectionElement).append(head);
  const body = t.tBodies[0] as HTMLTableSectionElement;
  const fill = (n: number): void => {
    body.replaceChildren();
    for (const r of rows.slice(0, n)) {
      const tr = el('tr', r.diff > 0 ? 'cmp-up' : r.diff < 0 ? 'cmp-down' : 'cmp-same');
      const key = el('td', 'cmp-key');
      if (opts.onOpen) {
        const a = el('a', 'cmp-link', r.key);
        a.href = '#';
        a.addEventListener('click', (e) => {
          e.preventDefault();
          opts.onOpen?.(r);
        });
        key.append(a);
      } else key.append(el('span', undefined, r.key));
      tr.append(key, el('td', 'cmp-num', String(r.a)), el('td', 'cmp-num', String(r.b)), el('td', 'cmp-num cmp-diff', signed(r.diff)), el('td', 'cmp-num', fmtRatio(r.ratio)));
      if (opts.rates) tr.append(el('td', 'cmp-num', r.rateA !== undefined ? r.rateA.toFixed(1) : ''), el('td', 'cmp-num', r.rateB !== undefined ? r.rateB.toFixed(1) : ''));
      body.append(tr);
    }
  };
  fill(FIRST_ROWS);
  wrap.append(t);
  if (rows.length > FIRST_ROWS) {
    const more = el('button', 'cmp-more', `Show all ${rows.length} rows`);
    more.addEventListener('click', () => {
      fill(rows.length);
      more.remove();
    });
    wrap.append(more);
  }
  return wrap;
}

function oneSided(title: string, items: readonly { text: string; count: number }[], side: 'A' | 'B'): HTMLElement | null {
  if (items.length === 0) return null;
  const box = el('div', 'cmp-only');
  box.append(el('h3', 'cmp-subtitle', `${title} only in ${side}`));
  const ul = el('ul', 'cmp-list');
  for (const i of items) ul.append(el('li', undefined, `${i.count}× ${i.text}`));
  box.append(ul);
  return box;
}

function render(diff: TraceDiff, hasSource: boolean): void {
  const app = document.getElementById('app') as HTMLElement;
  app.replaceChildren();
  const sec = (ns: number): string => `${(ns / 1e9).toFixed(6)} s`;
  const head = el('header', 'cmp-head');
  head.append(
    el('div', 'cmp-side', `A (before): ${diff.a.name} — ${diff.a.format}, ${diff.a.events} events, ${sec(diff.a.durationNs)}`),
    el('div', 'cmp-side', `B (after): ${diff.b.name} — ${diff.b.format}, ${diff.b.events} events, ${sec(diff.b.durationNs)}`),
  );
  if (diff.rates) head.append(el('p', 'cmp-note', 'The spans differ by more than 1%: events per second are shown beside the counts.'));
  app.append(head);

  if (diff.activity && diff.activity.rows.length > 0) {
    const s0 = section('Over time', 'A above B for every event and the busiest names; darker is busier (each row on its own scale, the same for A and B). Hover for counts.');
    const view = new ActivityView(diff.activity);
    s0.append(view.element);
    app.append(s0);
    view.draw();
  }

  const s1 = section('Events');
  s1.append(table(diff.events, { rates: diff.rates }));
  const s2 = section(diff.a.format === 'pcap' || diff.a.format === 'pcapng' ? 'Interfaces' : 'CPUs');
  s2.append(table(diff.cpus, { rates: diff.rates }));
  const s3 = section('Tasks', 'By command name: two recordings run the same workload under new pids.');
  s3.append(table(diff.tasks, { rates: diff.rates }));
  app.append(s1, s2, s3);

  const lines = section('Source lines');
  if (diff.lines) {
    const rows = diff.lines.map((r) => ({ ...r, key: `${r.file}:${r.line} ${r.event}` }));
    lines.append(table(rows, { rates: false, onOpen: (r) => api.postMessage({ type: 'openLine', file: (r as (typeof rows)[number]).file, line: (r as (typeof rows)[number]).line }) }));
  } else {
    lines.append(el('p', 'cmp-note', hasSource ? 'No event of either trace maps to a source line.' : 'Set kernelTrace.sourceRoot to a kernel tree to compare hits per source line.'));
  }
  app.append(lines);

  for (const l of diff.lifecycle) {
    const s = section(`Lifecycles: ${l.model}`, 'Objects by the state they ended in (with the drop reason when the model reads one).');
    s.append(table(l.outcomes, { rates: false }));
    for (const box of [oneSided('Findings', l.findings.onlyA.map((f) => ({ text: f.example.message, count: f.a })), 'A'), oneSided('Findings', l.findings.onlyB.map((f) => ({ text: f.example.message, count: f.b })), 'B')]) if (box) s.append(box);
    app.append(s);
  }
  const f = diff.findings;
  if (f.onlyA.length + f.onlyB.length > 0) {
    const s = section('Findings', 'Compared by shape: the message with its numbers masked.');
    for (const box of [oneSided('Findings', f.onlyA.map((x) => ({ text: x.example.message, count: x.a })), 'A'), oneSided('Findings', f.onlyB.map((x) => ({ text: x.example.message, count: x.b })), 'B')]) if (box) s.append(box);
    app.append(s);
  }
  if (diff.flows) {
    const s = section('Flows (packets)', 'Kind, source > destination. A flow only one capture has: that capture does not see this traffic.');
    for (const box of [oneSided('Flows', diff.flows.onlyA.map((r) => ({ text: r.key, count: r.a })), 'A'), oneSided('Flows', diff.flows.onlyB.map((r) => ({ text: r.key, count: r.b })), 'B')]) if (box) s.append(box);
    s.append(table(diff.flows.rows, { rates: false }));
    app.append(s);
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const m = e.data as CompareToWebview | null;
  if (m && typeof m === 'object' && m.type === 'diff' && typeof m.diff === 'object' && m.diff !== null) render(m.diff, m.hasSource === true);
});
api.postMessage({ type: 'ready' });
