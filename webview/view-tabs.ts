/**
 * The tab strip under the timeline: Events (the table), Lifecycles, Interleavings. One view
 * is shown at a time; a view is told when it is shown (the lifecycle view loads its models
 * the first time). ←/→ move between tabs (WAI-ARIA tabs pattern).
 */
import { el } from './dom';
import type { ViewTab } from './state';

export interface TabSpec {
  readonly id: ViewTab;
  readonly label: string;
  readonly element: HTMLElement;
  readonly shown?: () => void;
}

export class ViewTabs {
  readonly element = el('div', 'ktl-tabs');
  private readonly buttons = new Map<ViewTab, HTMLButtonElement>();
  private current: ViewTab | null = null;

  constructor(
    private readonly tabs: readonly TabSpec[],
    private readonly changed: (id: ViewTab) => void,
  ) {
    this.element.setAttribute('role', 'tablist');
    for (const t of tabs) {
      const b = el('button', 'ktl-tab', t.label);
      b.type = 'button';
      b.id = `tab-${t.id}`;
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-controls', t.element.id);
      t.element.setAttribute('role', t.element.getAttribute('role') ?? 'tabpanel');
      b.addEventListener('click', () => this.select(t.id));
      b.addEventListener('keydown', (e) => {
        const k = tabs.indexOf(t);
        const next = e.key === 'ArrowRight' ? tabs[(k + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(k - 1 + tabs.length) % tabs.length] : undefined;
        if (!next) return;
        e.preventDefault();
        this.select(next.id);
        this.buttons.get(next.id)?.focus();
      });
      this.buttons.set(t.id, b);
      this.element.append(b);
    }
    this.select(tabs[0]?.id ?? 'events', false);
  }

  select(id: ViewTab, notify = true): void {
    for (const t of this.tabs) {
      const on = t.id === id;
      t.element.hidden = !on;
      const b = this.buttons.get(t.id);
      b?.setAttribute('aria-selected', String(on));
      if (b) b.tabIndex = on ? 0 : -1;
    }
    const changed = this.current !== id;
    this.current = id;
    this.tabs.find((t) => t.id === id)?.shown?.();
    if (notify && changed) this.changed(id);
  }
}
