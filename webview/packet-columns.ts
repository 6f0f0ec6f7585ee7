/**
 * The Events table of a capture in Wireshark's packet-list shape: No., Time (a display format
 * chosen in its header, packet-time.ts), Source, Destination, Protocol, Length, Info. The
 * values come from the worker (EventRow.packet, from core's dissectors); every one of them is
 * capture text and goes in with textContent (dom.ts).
 */
import type { EventRow, SortColumn } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatCount } from './format';
import { packetTimeText, TIME_MODES, type TimeMode } from './packet-time';

export interface TableColumn {
  readonly cls: string;
  readonly label: string;
  readonly title: string;
  /** The worker's sort key for this column (a click on the header sorts by it). */
  readonly sort?: SortColumn;
}

export const PACKET_COLUMNS: readonly TableColumn[] = [
  { cls: 'c-no', label: 'No.', title: 'Packet number in the file (1-based, Wireshark’s frame number)', sort: 'line' },
  { cls: 'c-time', label: 'Time', title: 'Time of the packet, in the format chosen here', sort: 'ts' },
  { cls: 'c-src', label: 'Source', title: 'Source address: the (innermost) IP address, else the link-layer address', sort: 'source' },
  { cls: 'c-dst', label: 'Destination', title: 'Destination address: the (innermost) IP address, else the link-layer address', sort: 'destination' },
  { cls: 'c-proto', label: 'Protocol', title: 'The highest protocol decoded', sort: 'protocol' },
  { cls: 'c-len', label: 'Length', title: 'Bytes on the wire (the tooltip says when fewer were captured)', sort: 'length' },
  { cls: 'c-info', label: 'Info', title: 'What the packet is, from its decoded headers', sort: 'info' },
];

/**
 * The time format picker for the Time header: a native select (keyboard and screen readers
 * for free), which does not sort the column when used.
 */
export function timeModeSelect(current: TimeMode, changed: (mode: TimeMode) => void): HTMLSelectElement {
  const select = el('select', 'ktl-time-mode');
  select.id = 'packet-time-mode';
  select.setAttribute('aria-label', 'Time display format');
  for (const m of TIME_MODES) {
    const o = el('option', '', m.label);
    o.value = m.mode;
    setTitle(o, m.title);
    select.append(o);
  }
  select.value = current;
  setTitle(select, TIME_MODES.find((m) => m.mode === current)?.title ?? '');
  for (const type of ['click', 'keydown', 'pointerdown'] as const) select.addEventListener(type, (e) => e.stopPropagation());
  select.addEventListener('change', () => {
    const mode = TIME_MODES.find((m) => m.mode === select.value)?.mode;
    if (!mode) return;
    setTitle(select, TIME_MODES.find((m) => m.mode === mode)?.title ?? '');
    changed(mode);
  });
  return select;
}

/** Fills a row's cells (PACKET_COLUMNS order) from a packet row. */
export function fillPacketCells(cells: readonly HTMLElement[], ev: EventRow, mode: TimeMode, originNs: string): void {
  const [no, time, src, dst, proto, len, info] = cells as [HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  const p = ev.packet;
  setText(no, String(ev.line));
  if (!p) {
    for (const c of [time, src, dst, proto, len]) setText(c, '');
    setText(info, ev.text);
    return;
  }
  setText(time, packetTimeText(mode, p, originNs));
  setTitle(time, `${packetTimeText('absolute', p, originNs)} UTC · ${packetTimeText('relative', p, originNs)} s since the first packet`);
  setText(src, p.source);
  setTitle(src, p.source);
  setText(dst, p.destination);
  setTitle(dst, p.destination);
  setText(proto, p.protocol);
  setText(len, String(p.length));
  len.classList.toggle('ktl-cut', p.caplen < p.length);
  setTitle(len, p.caplen < p.length ? `${formatCount(p.length)} bytes on the wire, ${formatCount(p.caplen)} captured` : `${formatCount(p.length)} bytes`);
  setText(info, p.info);
  setTitle(info, p.info);
}

/** The details line of a selected packet: number, exact time, lengths, interface; and its whole Info, wrapped. */
export function packetDetails(ev: EventRow, originNs: string): HTMLElement[] {
  const p = ev.packet;
  if (!p) return [el('div', 'ktl-details-text', ev.text)];
  const lengths = p.caplen < p.length ? `${formatCount(p.length)} bytes on the wire, ${formatCount(p.caplen)} captured` : `${formatCount(p.length)} bytes`;
  const meta = el('div', 'ktl-details-meta');
  meta.append(
    el('span', '', `No. ${ev.line}`),
    el('span', 'ktl-muted', ` · ${packetTimeText('absolute', p, originNs)} UTC · ${packetTimeText('relative', p, originNs)} s · ${lengths} · ${ev.comm}${ev.flags ? ` (${ev.flags})` : ''} · `),
    el('span', '', `${p.source} → ${p.destination} ${p.protocol}`),
  );
  return [meta, el('div', 'ktl-details-text ktl-packet-info', p.info)];
}
