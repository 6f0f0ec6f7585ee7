/**
 * The strip under the timeline's bar while a capture is drawn on it: which capture, the clock
 * offset in use and where it came from (estimated from matching events or markers, with its
 * residual, or set by hand), a field to set it (seconds, capture wall clock - trace clock), a
 * button back to the estimate, and one to remove the capture. The host owns the offset; this
 * only asks.
 *
 * DOM contract used by the tests: `#capture-bar`, `#capture-offset` (the input),
 * `#capture-offset-label[data-offset-ns]`.
 */
import type { CaptureOverlayInfo, CaptureToHost } from '../src/protocol/messages';
import { el, setText, setTitle } from './dom';
import { formatAbsoluteSeconds, formatDuration } from './format';

/** Decimal ns (bigint text) as signed seconds with 9 decimals: `+1795314679.327837239`. */
export function nsText(ns: string): string {
  return `${ns.startsWith('-') ? '' : '+'}${formatAbsoluteSeconds(ns, 0, 9)}`;
}

/** Seconds typed by the user (`-12.5`, `3`, `+0.000001`) as decimal ns, or null when it is not a number. */
export function secondsToNs(text: string): string | null {
  const m = /^\s*([+-]?)(\d{1,11})(?:\.(\d{0,9}))?\s*$/.exec(text);
  if (!m) return null;
  const ns = BigInt(m[2] as string) * 1_000_000_000n + BigInt((m[3] ?? '').padEnd(9, '0') || '0');
  return (m[1] === '-' ? -ns : ns).toString();
}

export class CaptureBar {
  readonly element = el('div', 'ktl-capture-bar');
  private readonly label = el('span', 'ktl-capture-label');
  private readonly input = el('input', 'ktl-capture-offset');
  private readonly estimateButton = el('button', 'ktl-tl-button', 'Use estimate');
  /** How many packets in view are linked to their trace events (the lines on the timeline). */
  private readonly linksLabel = el('span', 'ktl-capture-links');
  private overlay: CaptureOverlayInfo | null = null;

  constructor(private readonly post: (m: CaptureToHost) => void) {
    this.element.id = 'capture-bar';
    this.element.hidden = true;
    this.label.id = 'capture-offset-label';
    this.input.id = 'capture-offset';
    this.input.type = 'text';
    this.input.spellcheck = false;
    setTitle(this.input, 'Clock offset in seconds (capture wall clock − trace clock); Enter applies it');
    this.input.setAttribute('aria-label', 'Capture clock offset in seconds');
    this.input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const ns = secondsToNs(this.input.value);
      this.input.classList.toggle('ktl-invalid', ns === null);
      if (ns !== null) this.post({ type: 'setCaptureOffset', offsetNs: ns });
    });
    this.estimateButton.type = 'button';
    setTitle(this.estimateButton, 'Go back to the offset estimated from matching events');
    this.estimateButton.addEventListener('click', () => this.post({ type: 'setCaptureOffset', offsetNs: null }));
    const remove = el('button', 'ktl-tl-button', 'Remove');
    remove.type = 'button';
    setTitle(remove, 'Remove the capture from the timeline');
    remove.addEventListener('click', () => this.post({ type: 'detachCapture' }));
    this.linksLabel.id = 'capture-links';
    setTitle(this.linksLabel, 'Each line joins a captured packet to the net_dev_xmit / netif_receive_skb event it is (same interface and length, within 1 ms under the offset)');
    this.element.append(this.label, this.input, this.estimateButton, remove, this.linksLabel);
  }

  show(overlay: CaptureOverlayInfo | null): void {
    this.overlay = overlay;
    this.element.hidden = overlay === null;
    if (!overlay) return;
    const e = overlay.estimate;
    const source = overlay.userSet
      ? 'set by hand'
      : e
        ? `estimated from ${e.matches} matching ${e.method === 'markers' ? 'markers' : 'events'}, residual ${formatDuration(e.residualNs)}`
        : 'no matching events: first packet placed at the first event';
    setText(this.label, `${overlay.name} (${overlay.packets} packets): clock offset ${source}`);
    this.label.dataset.offsetNs = overlay.offsetNs;
    if (document.activeElement !== this.input) this.input.value = nsText(overlay.offsetNs);
    this.input.classList.remove('ktl-invalid');
    this.estimateButton.disabled = !overlay.userSet || !e;
  }

  /** The link lines drawn (`drawn` of `total` in view; null: no capture). */
  showLinks(links: { drawn: number; total: number } | null): void {
    const text = !links
      ? ''
      : links.total === 0
        ? 'no packet in view matches a net_dev_xmit / netif_receive_skb event'
        : links.drawn === 0 && links.total > 0
          ? `${links.total} packets in view linked to their events: zoom in to draw the lines`
          : `${links.drawn} packets linked to their events (lines) · click one to open it`;
    if (this.linksLabel.textContent !== text) setText(this.linksLabel, text);
    this.linksLabel.dataset.total = links ? String(links.total) : '';
  }

  get current(): CaptureOverlayInfo | null {
    return this.overlay;
  }
}
