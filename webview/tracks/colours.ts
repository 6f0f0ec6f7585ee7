/**
 * The one colour reader and theme observer of the canvas views (timeline tracks, lifecycle
 * lanes). Canvas cannot use CSS variables, so the colours are read from the theme once and
 * again after a theme switch (VS Code changes the body's class and the --vscode-* values).
 * The event palette is the table's (style.css .ktl-ev-cN): hidden probe spans take the
 * classes and their computed colours are what the canvas paints with.
 */
import { el } from '../dom';

/** Colours of the event palette (style.css .ktl-ev-c0 … c9): the ten busiest events, or the states of a lifecycle model, never share one. */
export const EVENT_COLOURS = 10;

/** Palette slot by event name for the busiest events of the trace shown (rankEventColours). */
let ranked = new Map<string, number>();

/**
 * Gives the EVENT_COLOURS busiest events (`counts`, any order) one palette slot each, by rank:
 * the busiest is slot 0. Other names keep their hashed slot (shared with a busy one at worst).
 */
export function rankEventColours(counts: readonly { readonly name: string; readonly count: number }[]): void {
  const top = [...counts].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, EVENT_COLOURS);
  ranked = new Map(top.map((e, k) => [e.name, k]));
}

/** The palette slot of an event (or task) name: the same in the table, the timeline, the legend and the details. */
export function colourOf(name: string): number {
  const r = ranked.get(name);
  if (r !== undefined) return r;
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) | 0;
  return Math.abs(h) % EVENT_COLOURS;
}

export interface Colours {
  /** The event palette, EVENT_COLOURS entries (also lifecycle states, in order). */
  readonly events: readonly string[];
  readonly fg: string;
  readonly muted: string;
  readonly border: string;
  readonly bg: string;
  readonly focus: string;
  readonly error: string;
  /** Lost events (editorWarning.foreground). */
  readonly warning: string;
  /** A selected row's background. */
  readonly selection: string;
  /** Packet ↔ event link lines on the timeline (textLink.foreground). */
  readonly link: string;
  /** Canvas font for labels drawn on the canvas (the UI font, 10 px). */
  readonly font: string;
}

export class ThemeColours {
  /** Hidden probe spans; must be in the document for their computed colours. */
  readonly element = el('div', 'ktl-tl-palette');
  private current: Colours | null = null;
  private readonly listeners: (() => void)[] = [];

  constructor() {
    this.element.setAttribute('aria-hidden', 'true');
    for (let c = 0; c < EVENT_COLOURS; c++) this.element.append(el('span', `ktl-ev-c${c}`));
    this.element.append(el('span', 'ktl-tl-focus-probe'), el('span', 'ktl-lc-error-probe'), el('span', 'ktl-lc-sel-probe'), el('span', 'ktl-warn-probe'));
    // Theme switches change the --vscode-* variables: read the colours again, redraw.
    new MutationObserver(() => {
      this.current = null;
      for (const l of this.listeners) l();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  /** The theme's colours (read on first use after a switch). */
  get(): Colours {
    return (this.current ??= this.read());
  }

  /** `listener` runs after every theme switch (to redraw). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private read(): Colours {
    const probe = (e: Element | undefined, prop: 'color' | 'backgroundColor' = 'color'): string => (e ? getComputedStyle(e)[prop] : '');
    const css = getComputedStyle(this.element.parentElement ?? document.body);
    const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
    const spans = Array.from(this.element.children);
    return {
      events: spans.slice(0, EVENT_COLOURS).map((s) => probe(s)),
      fg: v('--vscode-foreground', '#888'),
      muted: v('--vscode-descriptionForeground', '#888'),
      border: v('--vscode-panel-border', 'rgba(128,128,128,0.35)'),
      bg: v('--vscode-editor-background', 'transparent'),
      focus: probe(spans[EVENT_COLOURS]),
      error: probe(spans[EVENT_COLOURS + 1]),
      selection: probe(spans[EVENT_COLOURS + 2], 'backgroundColor'),
      warning: probe(spans[EVENT_COLOURS + 3]),
      link: v('--vscode-textLink-foreground', ''),
      font: `10px ${css.fontFamily}`,
    };
  }
}
