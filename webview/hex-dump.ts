/**
 * The bytes of one packet as a hex + ASCII dump, 16 bytes a row (offset, hex, text), like
 * Wireshark's bytes pane. A byte range (the selected field) is highlighted in both columns;
 * a click on a byte, or moving the byte cursor with the keyboard (arrows, Home/End), reports
 * that byte so the tree can select the innermost field covering it.
 *
 * DOM contract used by the tests: every byte cell (hex and text) has `data-offset`; highlighted
 * cells have the class `ktl-hl`, the cursor's `ktl-hex-cursor`.
 */
import { el } from './dom';

const PER_ROW = 16;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class HexDump {
  readonly element = el('div', 'ktl-hex');
  private hexCells: HTMLElement[] = [];
  private textCells: HTMLElement[] = [];
  private highlighted: [number, number] = [0, 0];
  private cursor: number | null = null;

  constructor(private readonly byteChosen: (offset: number) => void) {
    this.element.id = 'packet-hex';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'group');
    this.element.setAttribute('aria-label', 'Packet bytes: arrows move the byte cursor and select the field under it');
    this.element.addEventListener('click', (e) => {
      const off = Number((e.target as HTMLElement | null)?.closest<HTMLElement>('[data-offset]')?.dataset.offset);
      if (!Number.isSafeInteger(off)) return;
      this.moveCursor(off);
    });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Draws `bytes` (already bounded by the host); `total` is the packet's captured length. */
  show(bytes: Uint8Array, total: number): void {
    const rows: HTMLElement[] = [];
    this.hexCells = [];
    this.textCells = [];
    for (let r = 0; r < bytes.length; r += PER_ROW) {
      const row = el('div', 'ktl-hex-row');
      const hex = el('span', 'ktl-hex-bytes');
      const text = el('span', 'ktl-hex-text');
      for (let i = r; i < Math.min(bytes.length, r + PER_ROW); i++) {
        const b = bytes[i] as number;
        const h = el('span', 'ktl-hex-b', HEX[b]);
        h.dataset.offset = String(i);
        // Printable ASCII as itself, everything else as a dot (no control characters reach the DOM).
        const c = el('span', 'ktl-hex-c', b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.');
        c.dataset.offset = String(i);
        hex.append(h);
        text.append(c);
        this.hexCells.push(h);
        this.textCells.push(c);
      }
      row.append(el('span', 'ktl-hex-off', r.toString(16).padStart(4, '0')), hex, text);
      rows.push(row);
    }
    if (bytes.length < total) rows.push(el('div', 'ktl-muted', `first ${bytes.length} of ${total} captured bytes shown`));
    if (total === 0) rows.push(el('div', 'ktl-muted', 'no bytes captured'));
    this.element.replaceChildren(...rows);
    this.highlighted = [0, 0];
    this.cursor = null;
  }

  /** Highlights [offset, offset + length) in both columns and scrolls its first row into view. */
  highlight(offset: number, length: number): void {
    const [a0, b0] = this.highlighted;
    for (let i = a0; i < b0; i++) this.mark(i, 'ktl-hl', false);
    const a = Math.max(0, Math.min(offset, this.hexCells.length));
    const b = Math.max(a, Math.min(offset + length, this.hexCells.length));
    for (let i = a; i < b; i++) this.mark(i, 'ktl-hl', true);
    this.highlighted = [a, b];
    this.hexCells[a]?.scrollIntoView({ block: 'nearest' });
  }

  private mark(i: number, cls: string, on: boolean): void {
    this.hexCells[i]?.classList.toggle(cls, on);
    this.textCells[i]?.classList.toggle(cls, on);
  }

  private moveCursor(off: number): void {
    if (this.hexCells.length === 0) return;
    const next = Math.max(0, Math.min(this.hexCells.length - 1, off));
    if (this.cursor !== null) this.mark(this.cursor, 'ktl-hex-cursor', false);
    this.cursor = next;
    this.mark(next, 'ktl-hex-cursor', true);
    this.element.setAttribute('aria-label', `Packet bytes: byte ${next} (0x${next.toString(16)}) = 0x${this.hexCells[next]?.textContent ?? ''}`);
    this.byteChosen(next);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const cur = this.cursor ?? this.highlighted[0];
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -PER_ROW, ArrowDown: PER_ROW };
    let next: number;
    if (e.key in steps) next = (this.cursor === null ? cur : cur + (steps[e.key] as number));
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = this.hexCells.length - 1;
    else return;
    e.preventDefault();
    this.moveCursor(next);
  }
}
