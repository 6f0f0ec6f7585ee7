/**
 * Packet details under a capture's table: the selected packet's layers (PacketTree) beside
 * its bytes (HexDump), linked both ways: a field selected in the tree is highlighted in the
 * bytes, a byte clicked in the bytes selects the innermost field covering it.
 *
 * The packet is asked for when the table's selection changes (rpc.ts `Latest`): a reply for a
 * packet no longer selected is dropped. Shown for captures only.
 */
import type { PacketDetails } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatCount } from './format';
import { HexDump } from './hex-dump';
import { PacketTree } from './packet-tree';
import { isPacketDetails, isPacketJourney } from './packet-data';
import { JourneyView } from './journey-view';
import { Latest, type Rpc } from './rpc';
/**
 * A journey reads every capture of the workspace in the worker, which answers one request at a
 * time: it is asked for once the selection has rested this long (ms), not for every packet
 * passed while holding an arrow key.
 */
const JOURNEY_DELAY_MS = 250;

export class PacketView {
  readonly element = el('section', 'ktl-packet');
  private readonly header = el('div', 'ktl-packet-head');
  private readonly problems = el('ul', 'ktl-packet-problems');
  private readonly tree = new PacketTree((offset, length) => this.hex.highlight(offset, length));
  private readonly hex = new HexDump((offset) => this.tree.selectByte(offset));
  private readonly packet: Latest<'packet'>;
  private readonly journeyRequest: Latest<'journey'>;
  private journeyTimer: ReturnType<typeof setTimeout> | undefined;
  private index: number | null = null;
  private readonly journey: JourneyView;

  constructor(
    rpc: Rpc,
    /** A journey hop in this capture was picked: select packet `number` (1-based). */
    pickPacket: (number: number) => void,
  ) {
    this.packet = new Latest(rpc);
    this.journeyRequest = new Latest(rpc);
    this.journey = new JourneyView(pickPacket);
    this.element.id = 'packet-details';
    this.element.setAttribute('aria-label', 'Packet details and bytes');
    this.header.id = 'packet-head';
    const body = el('div', 'ktl-packet-body');
    body.append(this.tree.element, this.hex.element);
    this.element.append(this.header, this.problems, this.journey.element, body);
    this.element.hidden = true;
    this.clear('Select a packet to see its layers and bytes.');
  }

  /** Nothing shown: the pane is its hint line (no packet selected). */
  get empty(): boolean {
    return this.element.classList.contains('ktl-packet-empty');
  }

  /** The table selected the event at `index` (null: nothing selected). */
  show(index: number | null): void {
    if (index === this.index) return;
    this.index = index;
    if (index === null) {
      this.packet.cancel();
      this.clear('Select a packet to see its layers and bytes.');
      return;
    }
    this.element.classList.remove('ktl-packet-empty');
    this.journeyRequest.cancel();
    clearTimeout(this.journeyTimer);
    setText(this.header, `packet index ${formatCount(index)}: loading…`);
    this.packet.send(
      { type: 'packet', index },
      (msg) => {
        if (!isPacketDetails(msg.packet)) this.clear('The extension sent a malformed packet.');
        else this.render(msg.packet);
      },
      (message) => this.clear(message),
    );
  }

  private clear(message: string): void {
    // Nothing to show: the pane is its one line, and the packet list gets the height.
    this.element.classList.add('ktl-packet-empty');
    this.header.replaceChildren(el('span', 'ktl-muted', message));
    this.problems.replaceChildren();
    this.problems.hidden = true;
    this.journey.clear();
    this.tree.show([]);
    this.hex.show(new Uint8Array(0), 0);
  }

  private render(p: PacketDetails): void {
    this.element.dataset.packet = String(p.number);
    this.header.replaceChildren(
      el('span', 'ktl-packet-no', `Packet ${formatCount(p.number)}`),
      el('span', 'ktl-muted', ` · ${p.interface} · ${p.linkType} · ${formatCount(p.caplen)} of ${formatCount(p.len)} bytes captured · `),
      el('span', 'ktl-packet-summary', p.summary),
    );
    setTitle(this.header, p.summary);
    this.problems.replaceChildren(
      ...p.problems.map((x) => {
        const li = el('li', `ktl-packet-problem ktl-pp-${x.kind === 'truncated-frame' ? 'note' : 'error'}`, `${x.message} (byte ${x.offset})`);
        li.dataset.kind = x.kind;
        return li;
      }),
    );
    this.problems.hidden = p.problems.length === 0;
    this.tree.show(p.layers);
    this.hex.show(p.bytes, p.caplen);
    // ICMP echoes (an identifier field) and TCP segments are followed across the workspace's captures.
    this.journey.clear();
    if (p.layers.some((l) => l.fields.some((f) => f.name === 'icmp.ident' || f.name === 'icmpv6.echo.identifier' || f.name === 'tcp.flags'))) {
      this.journey.clear('Following this echo across the captures…');
      this.journeyTimer = setTimeout(() => {
        if (this.index !== p.index) return;
        this.journeyRequest.send(
          { type: 'journey', index: p.index },
          (msg) => {
            if (msg.journey === null) this.journey.clear();
            else if (isPacketJourney(msg.journey)) this.journey.show(msg.journey);
            else this.journey.clear('The extension sent a malformed journey.');
          },
          (message) => this.journey.clear(`Journey: ${message}`),
        );
      }, JOURNEY_DELAY_MS);
    }
  }

  /** Keyboard focus to the layers tree (Enter on a packet row), its first layer selected. */
  focusTree(): void {
    this.tree.focus();
  }
}
