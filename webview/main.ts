/**
 * Entry point of the trace editor's webview (bundled by esbuild into dist/webview.js,
 * with the CSS imported here into dist/webview.css).
 *
 * Handshake: build the UI, listen, then post `ready`; the host answers with progress,
 * then a summary (or loadError), then pages of rows on request. Every inbound message is
 * checked with the protocol's guard, and deep-checked (sanitize.ts) before it is drawn.
 */
import './style.css';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import { isHostToWebview } from '../src/protocol/guards';
import type { HostToWebview, TraceSummary } from '../src/protocol/messages';
import { byId, el } from './dom';
import { EventTable } from './event-table';
import { FilterBar, FilterModel, isEmptyFilter, toEventFilter } from './filters';
import { ExprBox } from './expr-box';
import { Host } from './host';
import { Rpc } from './rpc';
import { ThemeColours } from './tracks/colours';
import { LoadingView } from './loading';
import { isCaptureOverlay, isTraceSummary } from './sanitize';
import { parseFilterState } from './state';
import { SummaryView } from './summary';
import { rankEventColours } from './tracks/colours';
import { TimelineView } from './timeline';
import { FdPanel } from './fd-panel';
import { PacketView } from './packet-view';
import { FindingsPanel } from './findings-panel';
import { LifecycleView } from './lifecycle-view';
import { InterleaveView } from './interleave-view';
import { ViewTabs } from './view-tabs';
import { LatencyView } from './latency-view';
import { FindBox } from './find-box';
import { sidebarSash } from './sidebar-sash';

const host = new Host();
/** Every request of every view goes through this one; its ids come from one counter. */
const rpc = new Rpc((m) => host.post(m));
/** The theme's colours for every canvas (timeline tracks, lifecycle lanes), read once per theme. */
const colours = new ThemeColours();
const app = byId<HTMLDivElement>('app');

const filters = new FilterModel();
const loading = new LoadingView();
const summaryView = new SummaryView(filters, { revealLine: (line) => host.post({ type: 'revealLine', line }) });
const exprBox = new ExprBox(rpc, filters);
const filterBar = new FilterBar(filters, exprBox.element);
/** Opens an event's line in the trace text, and (with its event name) its source line when mapped. */
function reveal(line: number, event?: string): void {
  host.post(event === undefined ? { type: 'revealLine', line } : { type: 'revealEvent', line, event });
}
const table = new EventTable({
  rpc,
  // A capture is binary: Enter on a packet goes to its layers tree instead of the file as text.
  revealLine: (line, event) => (isCaptureSummary(summary) ? packetView.focusTree() : reveal(line, event)),
  viewChanged: (firstRow, selected) => {
    host.saveState({ firstRow, selected });
    revealTableSelection();
  },
  totalChanged: (total) => {
    if (summary) filterBar.showCount(total, summary.events, isCaptureSummary(summary) ? 'packets' : 'events');
  },
  // Captures: the selected packet's layers and bytes below the table.
  selectedRow: (row) => {
    if (!isCaptureSummary(summary)) return;
    const wasEmpty = packetView.empty;
    packetView.show(row ? row.index : null);
    // The pane opened under the list (first selection): the selected row stays in view.
    if (wasEmpty && !packetView.empty) requestAnimationFrame(() => table.keepSelectedInView());
  },
  layoutChanged: ({ columns, detailsPx, timeMode }) => host.saveState({ layout: { ...host.getState().layout, columns, timeMode, ...(detailsPx !== null ? { detailsPx } : {}) } }),
});
const packetView = new PacketView(
  rpc,
  (n) => timeline.pickIndex(n - 1),
);
/** A packet (event index) to select once the summary is there (a Problems entry's link). */
let pendingPacket: number | null = null;
const findingsPanel = new FindingsPanel(
  rpc,
  (n) => timeline.pickIndex(n - 1),
);

const main = el('div', 'ktl-main');
main.hidden = true;
const tableArea = el('section', 'ktl-table-area');
const timeline = new TimelineView({
  rpc,
  colours,
  post: (m) => host.post(m),
  filter: () => toEventFilter(filters.current),
  // An event picked on the timeline becomes the table's selection (details pane included).
  picked: (row, position) => {
    if (position === null || !summary) return;
    const f = filters.current;
    const known = isEmptyFilter(f) ? summary.events : null;
    const sort = table.currentSort;
    if (!sort) {
      table.reset(toEventFilter(f), known, Math.max(0, position - 3), position);
      return;
    }
    // Sorted: the timeline's position is in file order; ask where the event is in the sorted list.
    void rpc.request({ type: 'positionOf', filter: toEventFilter(f), sort, index: row.index }).then(
      (r) => {
        if (r.position !== null) table.reset(toEventFilter(f), known, Math.max(0, r.position - 3), r.position);
      },
      () => undefined,
    );
  },
  revealLine: reveal,
  viewChanged: (range, selection) => {
    host.saveState({ timeline: { range, selection } });
    lifecycles.rangeChanged();
  },
  // The range panel's button: the table shows the range's events (Events tab, so they are seen).
  filterToRange: (range) => {
    filters.setTimeRange(range);
    tabs.select('events');
  },
  heightChanged: (timelinePx) => host.saveState({ layout: { ...host.getState().layout, timelinePx } }),
});
const savedAtLoad = host.getState();
table.restoreLayout(savedAtLoad.layout?.columns, savedAtLoad.layout?.detailsPx);
if (savedAtLoad.layout?.timeMode) table.setTimeMode(savedAtLoad.layout.timeMode);
if (savedAtLoad.timeline) timeline.restore(savedAtLoad.timeline.range, savedAtLoad.timeline.selection);
timeline.restoreHeight(savedAtLoad.layout?.timelinePx);
const lifecycles = new LifecycleView(
  {
    rpc,
    colours,
    range: () => timeline.visibleRange(),
    firstTsNs: () => summary?.firstTsNs ?? 0,
    reveal,
    showOnTimeline: (tsNs) => timeline.panTo(tsNs),
    modelChanged: (id) => host.saveState({ lifecycleModel: id }),
  },
  savedAtLoad.lifecycleModel,
);
const interleave = new InterleaveView(
  {
    rpc,
    firstTsNs: () => summary?.firstTsNs ?? 0,
    reveal,
    selectedEvent: () => table.selectedRow(),
    queryChanged: (key, pair) => host.saveState({ interleave: { key, pair } }),
  },
  savedAtLoad.interleave,
);
const latency = new LatencyView({
  rpc,
  colours: () => colours.get(),
  eventNames: () => summary?.eventCounts.map((e) => e.name) ?? [],
  firstTsNs: () => summary?.firstTsNs ?? 0,
  // The pair across the timeline (with room either side), its opening event selected in the table.
  showPair: (p) => {
    const pad = Math.max(p.durNs / 2, 1000);
    if (Number.isFinite(p.openTsNs)) timeline.zoomTo(p.openTsNs - pad, p.openTsNs + p.durNs + pad);
    timeline.pickIndex(p.open);
    tabs.select('events');
  },
});
const tabs = new ViewTabs(
  [
    { id: 'events', label: 'Events', element: table.element },
    { id: 'lifecycles', label: 'Lifecycles', element: lifecycles.element, shown: () => lifecycles.show() },
    { id: 'interleave', label: 'Interleavings', element: interleave.element, shown: () => interleave.show() },
    { id: 'latency', label: 'Latency', element: latency.element, shown: () => latency.show() },
  ],
  (id) => host.saveState({ tab: id }),
);
/** The table's selected event (once its row has loaded) is marked on the timeline too. */
function revealTableSelection(): void {
  const index = Number(table.element.querySelector<HTMLElement>('.ktl-row.ktl-selected[data-index]')?.dataset.index);
  if (Number.isSafeInteger(index)) timeline.revealIndex(index);
}
const findBox = new FindBox(rpc, table);
// Ctrl+F (Cmd+F) opens the find box; F3 / Shift+F3 find the next / previous match.
document.addEventListener('keydown', (e) => {
  if (main.hidden) return;
  if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f') {
    e.preventDefault();
    tabs.select('events');
    findBox.open();
  } else if (e.key === 'F3' && !e.ctrlKey && !e.metaKey && !e.altKey) {
    e.preventDefault();
    tabs.select('events');
    findBox.again(e.shiftKey ? -1 : 1);
  }
});
const fdPanel = new FdPanel({
  rpc,
  pick: (index) => timeline.pickIndex(index),
  revealLine: (line) => host.post({ type: 'revealLine', line }),
});
tableArea.append(filterBar.element, timeline.element, tabs.element, findBox.element, table.element, packetView.element, lifecycles.element, interleave.element, latency.element);
// The sidebar and the rest side by side, the sash between them draggable; the width is kept per editor.
const sash = sidebarSash(main, summaryView.sidebar, savedAtLoad.layout?.sidebarPx, (sidebarPx) => host.saveState({ layout: { ...host.getState().layout, sidebarPx } }));
main.append(summaryView.header, summaryView.sidebar, sash, tableArea);
app.append(loading.element, main, colours.element);

let summary: TraceSummary | null = null;

/** A filter edit starts the table over at the top (the old position means nothing now). */
filters.onChange((f) => {
  host.saveState({ filter: f, firstRow: 0, selected: null });
  if (summary) table.reset(toEventFilter(f), isEmptyFilter(f) ? summary.events : null);
  if (summary) timeline.refresh();
});

function showSummary(s: TraceSummary): void {
  const first = summary === null;
  // Restore what was on screen before the tab was hidden: filter, position, selection.
  // The filter is set while `summary` is still null so its change handler does not reset
  // the table (and the saved position) first.
  const saved = host.getState();
  if (first) filters.set(saved.filter);
  summary = s;
  // The ten busiest events get a colour each, before anything draws them.
  rankEventColours(s.eventCounts);
  // While the file is read the views show what is read so far; the progress stays above them.
  if (s.reading) loading.reading(s.reading.bytesRead, s.reading.totalBytes);
  else loading.hide();
  main.hidden = false;
  summaryView.render(s);
  // strace: the fd views first (seed 003's stall is the point of opening such a trace).
  summaryView.sidebar.prepend(fdPanel.element);
  if (first) fdPanel.setSummary(s);
  table.setTimeBase(s.originNs, s.timeSource);
  table.setLineKind(s.lineKind);
  // Without timestamps a timeline would stack every event at 0: hidden (0 px wide, it asks the
  // worker for nothing), but it still picks events for the other views.
  timeline.element.hidden = s.timeSource === 'none';
  timeline.setSummary(s);
  if (first) {
    const f = filters.current;
    table.reset(toEventFilter(f), isEmptyFilter(f) ? s.events : null, saved.firstRow, saved.selected);
    if (document.activeElement === document.body || document.activeElement === null) table.focus();
  } else {
    // More of the file was read (or all of it): the same list, grown; the view stays where it is.
    table.grow(isEmptyFilter(filters.current) ? s.events : null);
  }
  filterBar.showCount(isEmptyFilter(filters.current) ? s.events : null, s.events, isCaptureSummary(s) ? 'packets' : 'events');
  // Captures: packet details under the table, findings in the sidebar (render() rebuilt it).
  packetView.element.hidden = !isCaptureSummary(s);
  if (isCaptureSummary(s)) {
    summaryView.sidebar.prepend(findingsPanel.element);
    // Findings are of the whole capture: asked for once it is read.
    if (!s.reading) findingsPanel.request();
    if (pendingPacket !== null) timeline.pickIndex(pendingPacket);
    pendingPacket = null;
  }
  if (first) tabs.select(saved.tab ?? 'events');
}

function isCaptureSummary(s: TraceSummary | null): boolean {
  return s !== null && (s.format === 'pcap' || s.format === 'pcapng');
}

function onMessage(msg: HostToWebview): void {
  // Replies and requestErrors settle the request that asked (or are dropped when nobody waits).
  if (rpc.settle(msg)) return;
  switch (msg.type) {
    case 'progress':
      if (!summary || summary.reading) loading.progress(msg.bytesRead, msg.totalBytes);
      break;
    case 'summary':
      if (isTraceSummary(msg.summary)) showSummary(msg.summary);
      else loading.fail('The extension sent a malformed trace summary.');
      break;
    case 'loadError':
      main.hidden = true;
      loading.fail(msg.message);
      break;
    case 'captureOverlay':
      if (msg.overlay === null || isCaptureOverlay(msg.overlay)) timeline.setCaptureOverlay(msg.overlay);
      break;
    case 'selectPacket':
      if (summary) timeline.pickIndex(msg.index);
      else pendingPacket = msg.index;
      break;
    case 'applyFilter':
      // Before the summary arrives this lands in the saved state, which showSummary restores.
      filters.set(parseFilterState(msg.filter));
      // The filtered rows are the answer: show the Events tab whichever view was in front
      // (saved too, for a page that has not had its summary yet).
      host.saveState({ tab: 'events' });
      tabs.select('events');
      // ... and the timeline zooms to the matching events (the events of that source line).
      timeline.fitToMatches();
      break;
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isHostToWebview(e.data)) onMessage(e.data);
});
// VS Code may discard a hidden webview; write the latest position before that.
window.addEventListener('pagehide', () => host.flushState());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') host.flushState();
});

host.post({ type: 'ready' });
