/**
 * A draggable split between two panes (vscode-elements' vscode-split-layout: drag the sash,
 * double-click resets), its first pane fixed in CSS px so a window resize goes to the second.
 * The size comes from the saved state (per editor) or a default that leaves the second pane
 * most of a narrow view; every drag is reported so it is saved.
 */
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import type { VscodeSplitLayout } from '@vscode-elements/elements/dist/vscode-split-layout/vscode-split-layout.js';

export interface SplitSpec {
  /** 'vertical': side by side (a vertical sash); 'horizontal': one above the other. */
  readonly split: 'vertical' | 'horizontal';
  readonly start: HTMLElement;
  readonly end: HTMLElement;
  /** Saved size of the start pane (CSS px), if any. */
  readonly savedPx: number | undefined;
  /** Default size of the start pane for a container `totalPx` wide/tall. */
  readonly defaultPx: (totalPx: number) => number;
  readonly minStartPx: number;
  readonly minEndPx: number;
  /** The user dragged the sash: the start pane is now `px` wide/tall. */
  readonly changed: (px: number) => void;
  readonly className: string;
}

/** Start pane size for a `totalPx` container: `share` of it, within [minPx, maxPx]. */
export function shareOf(totalPx: number, share: number, minPx: number, maxPx: number): number {
  return Math.round(Math.min(maxPx, Math.max(minPx, totalPx * share)));
}

export function splitPane(spec: SplitSpec): VscodeSplitLayout {
  const layout = document.createElement('vscode-split-layout');
  layout.className = spec.className;
  layout.split = spec.split;
  layout.fixedPane = 'start';
  layout.minStart = `${spec.minStartPx}px`;
  layout.minEnd = `${spec.minEndPx}px`;
  layout.resetOnDblClick = true;
  spec.start.slot = 'start';
  spec.end.slot = 'end';
  layout.append(spec.start, spec.end);
  // The default depends on the room there is, known once the layout has a size (the page may
  // be built before its iframe is laid out); a saved size is used as it is.
  const sizeOf = (): number => {
    const r = layout.getBoundingClientRect();
    return spec.split === 'vertical' ? r.width : r.height;
  };
  // Until the user drags the sash, the start pane follows the default for the room there is
  // (an editor halved by its side group gets a narrower sidebar); a dragged size stays.
  let userPx = spec.savedPx;
  const place = (): void => {
    const initial = spec.defaultPx(sizeOf());
    layout.initialHandlePosition = `${initial}px`;
    layout.handlePosition = `${userPx ?? initial}px`;
  };
  let placedFor = -1;
  new ResizeObserver(() => {
    const size = Math.round(sizeOf());
    if (size <= 0 || size === placedFor || (userPx !== undefined && placedFor >= 0)) return;
    placedFor = size;
    place();
  }).observe(layout);
  layout.addEventListener('vsc-split-layout-change', (e) => {
    userPx = Math.round(e.detail.position);
    spec.changed(userPx);
  });
  return layout;
}
