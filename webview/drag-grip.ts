/**
 * A grip the user drags (pointer, captured so the drag survives leaving it) or moves with the
 * arrow keys (10 CSS px a press) to resize something: a table column, the details pane. It
 * reports the distance from where the drag started; `done` once the size is settled (to save it).
 */
import { el, setTitle } from './dom';

export interface GripSpec {
  readonly className: string;
  readonly label: string;
  /** 'x': left/right (a vertical separator); 'y': up/down. */
  readonly axis: 'x' | 'y';
  /** The size (CSS px) when a drag starts. */
  readonly start: () => number;
  /** Set the size to `px` (the grip's owner clamps it) and return what it set. */
  readonly resize: (px: number) => number;
  /** The drag or key press ended at `px`. */
  readonly done: (px: number) => void;
  /** +1: moving right/down grows the size; -1: shrinks it (a pane above the grip). */
  readonly sign?: 1 | -1;
}

export const KEY_STEP_PX = 10;

export function dragGrip(spec: GripSpec): HTMLElement {
  const grip = el('div', spec.className);
  const sign = spec.sign ?? 1;
  grip.setAttribute('role', 'separator');
  grip.setAttribute('aria-orientation', spec.axis === 'x' ? 'vertical' : 'horizontal');
  grip.setAttribute('aria-label', spec.label);
  setTitle(grip, `${spec.label}: drag, or focus and use the arrow keys`);
  grip.tabIndex = 0;
  let from = 0;
  let base = 0;
  let last = 0;
  grip.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.stopPropagation();
    grip.setPointerCapture(e.pointerId);
    from = spec.axis === 'x' ? e.clientX : e.clientY;
    base = spec.start();
    last = base;
    grip.classList.add('ktl-dragging');
  });
  grip.addEventListener('pointermove', (e) => {
    if (!grip.hasPointerCapture(e.pointerId)) return;
    const pos = spec.axis === 'x' ? e.clientX : e.clientY;
    last = spec.resize(base + sign * (pos - from));
  });
  const end = (e: PointerEvent): void => {
    if (!grip.hasPointerCapture(e.pointerId)) return;
    grip.releasePointerCapture(e.pointerId);
    grip.classList.remove('ktl-dragging');
    spec.done(last);
  };
  grip.addEventListener('pointerup', end);
  grip.addEventListener('pointercancel', end);
  // A click on a header cell's grip must not sort or select anything.
  grip.addEventListener('click', (e) => e.stopPropagation());
  grip.addEventListener('keydown', (e) => {
    const [more, less] = spec.axis === 'x' ? ['ArrowRight', 'ArrowLeft'] : ['ArrowDown', 'ArrowUp'];
    const d = e.key === more ? 1 : e.key === less ? -1 : undefined;
    if (d === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    spec.done(spec.resize(spec.start() + sign * d * KEY_STEP_PX));
  });
  return grip;
}
