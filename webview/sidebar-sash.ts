/**
 * The sash between the sidebar (facet lists) and the views: dragged with the pointer or moved
 * with the arrow keys (drag-grip.ts), the width saved per editor. Until the user moves it the
 * sidebar follows 30 % of the editor (120-250 px), so an editor halved by its side group keeps
 * most of its width for the views.
 *
 * Not vscode-elements' vscode-split-layout: it renders its panes asynchronously (lit) with the
 * fixed pane at 0 px for the first frame, so the timeline asked the worker for a resolution
 * the width of the whole editor and then again. A CSS variable on the grid is set before the
 * first layout.
 */
import { dragGrip } from './drag-grip';

/** Sidebar width (CSS px) for an editor `editorPx` wide: 30 %, within [120, 250]. */
export function defaultSidebarPx(editorPx: number): number {
  return Math.round(Math.min(250, Math.max(120, editorPx * 0.3)));
}

/** Narrowest sidebar a drag leaves (px), and the least room the views keep (px). */
const MIN_SIDEBAR_PX = 80;
const MIN_VIEWS_PX = 200;

export function sidebarSash(main: HTMLElement, sidebar: HTMLElement, savedPx: number | undefined, saved: (px: number) => void): HTMLElement {
  let userPx = savedPx;
  const apply = (px: number): number => {
    const room = main.clientWidth > 0 ? main.clientWidth - MIN_VIEWS_PX : px;
    const w = Math.round(Math.max(MIN_SIDEBAR_PX, Math.min(px, Math.max(MIN_SIDEBAR_PX, room))));
    main.style.setProperty('--ktl-sidebar-px', `${w}px`);
    return w;
  };
  const follow = (): void => {
    if (userPx === undefined && window.innerWidth > 0) apply(defaultSidebarPx(window.innerWidth));
  };
  if (userPx !== undefined) main.style.setProperty('--ktl-sidebar-px', `${userPx}px`);
  else follow();
  window.addEventListener('resize', follow);
  return dragGrip({
    className: 'ktl-sidebar-sash',
    label: 'Resize the sidebar',
    axis: 'x',
    start: () => sidebar.getBoundingClientRect().width,
    resize: apply,
    done: (px) => {
      userPx = px;
      saved(px);
    },
  });
}
