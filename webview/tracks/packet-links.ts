/**
 * Packets of an attached capture linked to the trace events they are (the worker matches each
 * to its `net_dev_xmit` / `netif_receive_skb` event): one line from the packet's mark on its
 * interface track to the event's mark on its CPU track, for the links the reply lists (those
 * with an end in the visible range, bounded by MAX_TIMELINE_LINKS). Selecting either end
 * highlights the link: drawn thicker in the focus colour, both marks boxed. Theme colours only
 * (links in textLink.foreground, faint; the highlighted one in focusBorder).
 */
import type { TimelineLinks } from '../../src/protocol/messages';
import type { Colours } from './colours';
import type { TimeScale } from '../timeline-scale';
import type { TrackId } from './track';

/** Opacity of a link line that is not highlighted. */
const LINK_ALPHA = 0.55;

/** A link's ends where the view draws them (CSS px) and what it joins. */
export interface LinkEnd {
  readonly packet: number;
  readonly event: number;
  readonly cpu: number;
  readonly packetTsNs: number;
  readonly eventTsNs: number;
}

/** Which link is highlighted: the one of a picked packet, or of a picked trace event. */
export type LinkPick = { readonly packet: number } | { readonly event: number } | null;

export class PacketLinks {
  /** The links of the last timeline reply (null: no capture attached, or nothing yet). */
  current: TimelineLinks | null = null;
  pick: LinkPick = null;

  /** Column k of the highlighted link in `current`, or -1. */
  private picked(): number {
    const l = this.current;
    const p = this.pick;
    if (!l || !p) return -1;
    const col = 'packet' in p ? l.packet : l.event;
    const want = 'packet' in p ? p.packet : p.event;
    return col.indexOf(want);
  }

  /** The highlighted link's ends, when the reply lists it. */
  highlighted(): LinkEnd | null {
    const k = this.picked();
    const l = this.current;
    if (!l || k < 0) return null;
    return { packet: l.packet[k] as number, event: l.event[k] as number, cpu: l.cpu[k] as number, packetTsNs: l.packetTsNs[k] as number, eventTsNs: l.eventTsNs[k] as number };
  }

  /**
   * Draws the links whose line crosses the plot. `markMid(track)`: the y of a track's marks
   * lane middle (undefined: the track is not laid out). Returns how many lines were drawn.
   */
  render(ctx: CanvasRenderingContext2D, scale: TimeScale, colours: Colours, markMid: (track: TrackId) => number | undefined, markPx: number): number {
    const l = this.current;
    if (!l) return 0;
    const w = scale.width;
    const hi = this.picked();
    let drawn = 0;
    ctx.save();
    ctx.lineWidth = 1;
    ctx.strokeStyle = colours.link || colours.focus || colours.fg;
    ctx.globalAlpha = LINK_ALPHA;
    for (let k = 0; k < l.packet.length; k++) {
      const ends = this.ends(k, scale, markMid);
      if (!ends || (ends.x0 < 0 && ends.x1 < 0) || (ends.x0 > w && ends.x1 > w)) continue;
      drawn++;
      if (k === hi) continue; // drawn last, over the others
      ctx.beginPath();
      ctx.moveTo(ends.x0, ends.y0);
      ctx.lineTo(ends.x1, ends.y1);
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    const ends = hi >= 0 ? this.ends(hi, scale, markMid) : null;
    if (ends) {
      ctx.strokeStyle = colours.focus || colours.fg;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(ends.x0, ends.y0);
      ctx.lineTo(ends.x1, ends.y1);
      ctx.stroke();
      // Both marks boxed: the packet and the event it is.
      ctx.strokeRect(ends.x0 - 3, ends.y0 - markPx / 2, 6, markPx);
      ctx.strokeRect(ends.x1 - 3, ends.y1 - markPx / 2, 6, markPx);
    }
    ctx.restore();
    return drawn;
  }

  /** Link k's packet end (x0, y0) and event end (x1, y1), CSS px; null when a track is not laid out. */
  private ends(k: number, scale: TimeScale, markMid: (track: TrackId) => number | undefined): { x0: number; y0: number; x1: number; y1: number } | null {
    const l = this.current;
    if (!l) return null;
    const y0 = markMid({ kind: 'attached', id: l.iface[k] as number });
    const y1 = markMid({ kind: 'cpu', id: l.cpu[k] as number });
    if (y0 === undefined || y1 === undefined) return null;
    return { x0: Math.round(scale.toPx(l.packetTsNs[k] as number)) + 0.5, y0, x1: Math.round(scale.toPx(l.eventTsNs[k] as number)) + 0.5, y1 };
  }
}
