/**
 * The journey of the selected ICMP echo (seed 001) or TCP segment across the workspace's captures, in the
 * packet pane: every hop in time order (time after the first hop, capture, interface, packet,
 * request/reply, direction), where it was last seen, and what was expected next and is missing.
 * Hops in this capture are buttons that select their packet.
 *
 * DOM contract used by the tests: `#packet-journey[data-status]`, hops `.ktl-hop` with
 * `data-file`, `data-packet`, `data-what`; the last-seen hop has `ktl-hop-last`.
 */
import type { PacketJourney } from '../src/protocol/messages';
import { el, setTitle } from './dom';
import { formatDuration } from './format';

export class JourneyView {
  readonly element = el('div', 'ktl-journey');

  constructor(private readonly pickPacket: (number: number) => void) {
    this.element.id = 'packet-journey';
    this.element.setAttribute('aria-label', 'Packet journey across captures');
    this.clear();
  }

  clear(message = ''): void {
    delete this.element.dataset.status;
    this.element.replaceChildren(...(message ? [el('span', 'ktl-muted', message)] : []));
    this.element.hidden = message === '';
  }

  show(j: PacketJourney): void {
    this.element.hidden = false;
    this.element.dataset.status = j.status;
    const head = el('div', 'ktl-journey-head');
    head.append(
      el('span', 'ktl-journey-title', 'Journey '),
      el('span', '', j.key),
      el('span', `ktl-journey-status ktl-journey-${j.status}`, ` · ${j.status}`),
      el('span', 'ktl-muted', ` · ${j.hops.length} hop${j.hops.length === 1 ? '' : 's'} in ${j.files} capture${j.files === 1 ? '' : 's'}`),
    );
    const list = el('ol', 'ktl-hops');
    const first = BigInt(j.hops[0]?.timeNs ?? '0');
    j.hops.forEach((h, k) => {
      const li = el('li', `ktl-hop${k === j.lastSeen ? ' ktl-hop-last' : ''}`);
      li.dataset.file = h.file;
      li.dataset.packet = String(h.packet);
      li.dataset.what = h.what;
      const at = `+${formatDuration(Number(BigInt(h.timeNs) - first))}`;
      const where = `${h.file}${h.interface ? ` (${h.interface})` : ''}`;
      const label = `${at} · ${where} · #${h.packet} · ${h.what}${h.direction ? ` ${h.direction}` : ''}${k === j.lastSeen ? ' · last seen' : ''}`;
      if (h.here) {
        const b = el('button', 'ktl-link', label);
        b.type = 'button';
        setTitle(b, `Select packet ${h.packet}`);
        b.addEventListener('click', () => this.pickPacket(h.packet));
        li.append(b);
      } else li.append(el('span', '', label));
      list.append(li);
    });
    const parts: HTMLElement[] = [head, list];
    if (j.expectedNext) parts.push(el('div', 'ktl-journey-next', `Expected next: ${j.expectedNext}`));
    for (const e of j.errors) parts.push(el('div', 'ktl-muted', `not searched: ${e}`));
    this.element.replaceChildren(...parts);
  }
}
