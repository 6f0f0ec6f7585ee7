/**
 * The layers of one packet as an expandable tree (Ethernet / 802.1Q / IPv4 / TCP ...), each
 * field as `name: value`, like Wireshark's details pane. Selecting a layer or a field reports
 * its byte range (the hex view highlights it); `selectByte` picks the innermost field covering
 * a byte (a click in the hex view).
 *
 * Keyboard (WAI-ARIA tree): Up/Down move, Right expands (or enters) a layer, Left collapses
 * (or goes to the parent layer), Home/End, Enter/Space toggles a layer.
 * DOM contract used by the tests: items are `[role=treeitem]` with `data-layer` (layers) or
 * `data-field` (fields), `data-offset`/`data-length`; the selected one has `aria-selected=true`.
 */
import type { PacketLayerView } from '../src/protocol/messages';
import { el, setTitle } from './dom';

/** Wireshark's layer titles for the short names the decoders use. */
const LAYER_TITLES: Record<string, string> = {
  eth: 'Ethernet II',
  vlan: '802.1Q Virtual LAN',
  ieee8021ad: '802.1ad Service VLAN',
  llc: 'Logical-Link Control',
  sll: 'Linux cooked capture',
  null: 'Null/Loopback',
  nflog: 'Linux netfilter NFLOG',
  mpls: 'MultiProtocol Label Switching',
  arp: 'Address Resolution Protocol',
  ip: 'Internet Protocol Version 4',
  ipv6: 'Internet Protocol Version 6',
  icmp: 'Internet Control Message Protocol',
  icmpv6: 'Internet Control Message Protocol v6',
  tcp: 'Transmission Control Protocol',
  udp: 'User Datagram Protocol',
  sctp: 'Stream Control Transmission Protocol',
  ospf: 'Open Shortest Path First',
  gre: 'Generic Routing Encapsulation',
  ah: 'Authentication Header',
  frame: 'Frame',
};

export function layerTitle(name: string): string {
  return LAYER_TITLES[name] ?? name.toUpperCase();
}

interface Item {
  readonly element: HTMLElement;
  readonly offset: number;
  readonly length: number;
  /** The layer (index into layers) an item belongs to; for a layer item its own index. */
  readonly layer: number;
  readonly isLayer: boolean;
}

export class PacketTree {
  readonly element = el('div', 'ktl-ptree');
  private items: Item[] = [];
  private layerItems: Item[] = [];
  private groups: HTMLElement[] = [];
  private selected: Item | null = null;

  constructor(private readonly rangeChosen: (offset: number, length: number) => void) {
    this.element.id = 'packet-tree';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'tree');
    this.element.setAttribute('aria-label', 'Packet layers and fields');
    this.element.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement | null)?.closest<HTMLElement>('[role=treeitem]');
      const item = this.items.find((x) => x.element === row);
      if (!item) return;
      // A click on a layer's twisty (or a second click on a selected layer) toggles it.
      if (item.isLayer && (item === this.selected || (e.target as HTMLElement).classList.contains('ktl-pt-twisty'))) this.toggle(item.layer);
      this.select(item);
    });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  show(layers: readonly PacketLayerView[]): void {
    this.items = [];
    this.layerItems = [];
    this.groups = [];
    this.selected = null;
    this.element.removeAttribute('aria-activedescendant');
    const nodes: HTMLElement[] = [];
    layers.forEach((l, k) => {
      const layer = treeItem('ktl-pt-layer', `ktl-pt-l${k}`, 1, l);
      layer.setAttribute('aria-expanded', 'true');
      layer.dataset.layer = l.name;
      layer.append(el('span', 'ktl-pt-twisty'), el('span', 'ktl-pt-title', layerTitle(l.name)), el('span', 'ktl-muted', `  bytes ${l.offset}–${l.offset + l.length - 1} (${l.length})`));
      const group = el('div', 'ktl-pt-group');
      group.setAttribute('role', 'group');
      const li: Item = { element: layer, offset: l.offset, length: l.length, layer: k, isLayer: true };
      this.items.push(li);
      this.layerItems.push(li);
      this.groups.push(group);
      l.fields.forEach((f, j) => {
        const row = treeItem('ktl-pt-field', `ktl-pt-l${k}-f${j}`, 2, f);
        row.dataset.field = f.name;
        setTitle(row, f.length > 0 ? `${f.name} · bytes ${f.offset}–${f.offset + f.length - 1}` : f.name);
        row.append(el('span', 'ktl-pt-name', `${f.name}: `), el('span', 'ktl-pt-value', f.value));
        group.append(row);
        this.items.push({ element: row, offset: f.offset, length: f.length, layer: k, isLayer: false });
      });
      nodes.push(layer, group);
    });
    if (layers.length === 0) nodes.push(el('div', 'ktl-muted', 'nothing decoded'));
    this.element.replaceChildren(...nodes);
  }

  /** Focuses the tree; selects its first item when nothing is selected. */
  focus(): void {
    this.element.focus();
    const first = this.items[0];
    if (!this.selected && first) this.select(first);
  }

  /** Selects the innermost field covering byte `offset` (the smallest range; on a tie the inner layer), else the innermost layer. */
  selectByte(offset: number): void {
    let best: Item | null = null;
    for (const it of this.items) {
      if (it.length === 0 || offset < it.offset || offset >= it.offset + it.length) continue;
      if (covers(it, best)) best = it;
    }
    if (!best) {
      this.clearSelection();
      this.rangeChosen(offset, 0);
      return;
    }
    if (!best.isLayer) this.expand(best.layer, true);
    // The hex view then highlights the whole field the byte belongs to.
    this.select(best);
  }

  private clearSelection(): void {
    this.selected?.element.setAttribute('aria-selected', 'false');
    this.selected?.element.classList.remove('ktl-pt-sel');
    this.selected = null;
    this.element.removeAttribute('aria-activedescendant');
  }

  /** Selects an item and reports its range (the hex view highlights it). */
  private select(item: Item): void {
    this.clearSelection();
    this.selected = item;
    item.element.setAttribute('aria-selected', 'true');
    item.element.classList.add('ktl-pt-sel');
    this.element.setAttribute('aria-activedescendant', item.element.id);
    item.element.scrollIntoView({ block: 'nearest' });
    this.rangeChosen(item.offset, item.length);
  }

  private expanded(layer: number): boolean {
    return this.layerItems[layer]?.element.getAttribute('aria-expanded') === 'true';
  }

  private expand(layer: number, on: boolean): void {
    const item = this.layerItems[layer];
    const group = this.groups[layer];
    if (!item || !group) return;
    item.element.setAttribute('aria-expanded', String(on));
    group.hidden = !on;
  }

  private toggle(layer: number): void {
    this.expand(layer, !this.expanded(layer));
  }

  /** Items a user can reach: layers, and the fields of expanded layers. */
  private visible(): Item[] {
    return this.items.filter((x) => x.isLayer || this.expanded(x.layer));
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const list = this.visible();
    if (list.length === 0) return;
    const cur = this.selected;
    const k = cur ? list.indexOf(cur) : -1;
    let next: Item | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = list[Math.min(list.length - 1, k + 1)];
        break;
      case 'ArrowUp':
        next = list[Math.max(0, k - 1)];
        break;
      case 'Home':
        next = list[0];
        break;
      case 'End':
        next = list[list.length - 1];
        break;
      case 'ArrowRight':
        if (!cur) next = list[0];
        else if (cur.isLayer && !this.expanded(cur.layer)) this.expand(cur.layer, true);
        else if (cur.isLayer) next = list[k + 1]?.layer === cur.layer ? list[k + 1] : cur;
        break;
      case 'ArrowLeft':
        if (cur?.isLayer && this.expanded(cur.layer)) this.expand(cur.layer, false);
        else if (cur && !cur.isLayer) next = this.layerItems[cur.layer];
        break;
      case 'Enter':
      case ' ':
        if (cur?.isLayer) this.toggle(cur.layer);
        break;
      default:
        return;
    }
    e.preventDefault();
    if (next && next !== cur) this.select(next);
  }
}

/** `a` is a better answer than `b` for "the field under this byte": a field over a layer, then the shorter range, then the inner layer. */
function covers(a: Item, b: Item | null): boolean {
  if (b === null) return true;
  if (a.isLayer !== b.isLayer) return !a.isLayer;
  return a.length < b.length || (a.length === b.length && a.layer > b.layer);
}

/** One unselected tree row over the byte range `r`. */
function treeItem(cls: string, id: string, level: number, r: { readonly offset: number; readonly length: number }): HTMLElement {
  const e = el('div', `ktl-pt-item ${cls}`);
  e.id = id;
  e.setAttribute('role', 'treeitem');
  e.setAttribute('aria-level', String(level));
  e.setAttribute('aria-selected', 'false');
  e.dataset.offset = String(r.offset);
  e.dataset.length = String(r.length);
  return e;
}
