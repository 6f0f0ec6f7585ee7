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
import { Host } from './host';
import { LoadingView } from './loading';
import { isCaptureOverlay, isTraceSummary } from './sanitize';
import { parseFilterState } from './state';
import { SummaryView } from './summary';
import { TimelineView } from './timeline';
import { FdPanel } from './fd-panel';
import { PacketView } from './packet-view';
import { FindingsPanel } from './findings-panel';

const host = new Host();
const app = byId<HTMLDivElement>('app');

const filters = new FilterModel();
const loading = new LoadingView();
const summaryView = new SummaryView(filters, { revealLine: (line) => host.post({ type: 'revealLine', line }) });
const filterBar = new FilterBar(filters);
const table = new EventTable({
  post: (request) => host.post(request),
  // A capture is binary: Enter on a packet goes to its layers tree instead of the file as text.
  revealLine: (line) => (isCaptureSummary(summary) ? packetView.focusTree() : host.post({ type: 'revealLine', line })),
  viewChanged: (firstRow, selected) => {
    host.saveState({ firstRow, selected });
    revealTableSelection();
  },
  totalChanged: (total) => {
    if (summary) filterBar.showCount(total, summary.events);
  },
  // Captures: the selected packet's layers and bytes below the table.
  selectedRow: (row) => {
    if (isCaptureSummary(summary)) packetView.show(row ? row.index : null);
  },
});
const packetView = new PacketView(
  (m) => host.post(m),
  (n) => timeline.pickIndex(n - 1),
);
/** A packet (event index) to select once the summary is there (a Problems entry's link). */
let pendingPacket: number | null = null;
const findingsPanel = new FindingsPanel(
  (m) => host.post(m),
  (n) => timeline.pickIndex(n - 1),
);

const main = el('div', 'ktl-main');
main.hidden = true;
const tableArea = el('section', 'ktl-table-area');
const timeline = new TimelineView({
  post: (m) => host.post(m),
  filter: () => toEventFilter(filters.current),
  // An event picked on the timeline becomes the table's selection (details pane included).
  picked: (_row, position) => {
    if (position === null || !summary) return;
    const f = filters.current;
    table.reset(toEventFilter(f), isEmptyFilter(f) ? summary.events : null, Math.max(0, position - 3), position);
  },
  revealLine: (line) => host.post({ type: 'revealLine', line }),
});
/** The table's selected event (once its row has loaded) is marked on the timeline too. */
function revealTableSelection(): void {
  const index = Number(table.element.querySelector<HTMLElement>('.ktl-row.ktl-selected[data-index]')?.dataset.index);
  if (Number.isSafeInteger(index)) timeline.revealIndex(index);
}
const fdPanel = new FdPanel({
  post: (m) => host.post(m),
  pick: (index) => timeline.pickIndex(index),
  revealLine: (line) => host.post({ type: 'revealLine', line }),
});
tableArea.append(filterBar.element, timeline.element, table.element, packetView.element);
main.append(summaryView.header, summaryView.sidebar, tableArea);
app.append(loading.element, main);

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
  loading.hide();
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
    const f = filters.current;
    table.reset(toEventFilter(f), isEmptyFilter(f) ? s.events : null);
  }
  filterBar.showCount(isEmptyFilter(filters.current) ? s.events : null, s.events);
  // Captures: packet details under the table, findings in the sidebar (render() rebuilt it).
  packetView.element.hidden = !isCaptureSummary(s);
  if (isCaptureSummary(s)) {
    summaryView.sidebar.prepend(findingsPanel.element);
    findingsPanel.request();
    if (pendingPacket !== null) timeline.pickIndex(pendingPacket);
    pendingPacket = null;
  }
}

function isCaptureSummary(s: TraceSummary | null): boolean {
  return s !== null && (s.format === 'pcap' || s.format === 'pcapng');
}

function onMessage(msg: HostToWebview): void {
  switch (msg.type) {
    case 'progress':
      if (!summary) loading.progress(msg.bytesRead, msg.totalBytes);
      break;
    case 'summary':
      if (isTraceSummary(msg.summary)) showSummary(msg.summary);
      else loading.fail('The extension sent a malformed trace summary.');
      break;
    case 'loadError':
      main.hidden = true;
      loading.fail(msg.message);
      break;
    case 'rows':
      table.onRows(msg);
      break;
    case 'requestError':
      // By request id range, highest base first: findings (2^46), packet (2^44), timeline (2^40), fd panel (3e9), table.
      if (!findingsPanel.onMessage(msg) && !packetView.onMessage(msg) && !timeline.onMessage(msg) && !fdPanel.onMessage(msg)) table.onRequestError(msg.requestId, msg.message);
      break;
    case 'fds':
      fdPanel.onMessage(msg);
      break;
    case 'captureOverlay':
      if (msg.overlay === null || isCaptureOverlay(msg.overlay)) timeline.setCaptureOverlay(msg.overlay);
      break;
      break;
    case 'packet':
    case 'journey':
      packetView.onMessage(msg);
      break;
    case 'findings':
      findingsPanel.onMessage(msg);
      break;
    case 'selectPacket':
      if (summary) timeline.pickIndex(msg.index);
      else pendingPacket = msg.index;
      break;
    case 'timeline':
    case 'timelineRange':
    case 'eventAt':
      timeline.onMessage(msg);
      break;
    case 'applyFilter':
      // Before the summary arrives this lands in the saved state, which showSummary restores.
      filters.set(parseFilterState(msg.filter));
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
