// The workbench's window as the e2e tests measure it (issue 12): editor groups with their
// boxes, tabs and whether a text editor is drawn; the webview frames VS Code shows (they float
// over their group, outside its DOM); which group draws the trace editor.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** Box edges closer than this (CSS px) do not count as overlapping (sub-pixel rounding). */
const OVERLAP_TOLERANCE_PX = 1;

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface GroupInfo extends Box {
  /** The active tab's label. */
  readonly active: string | null;
  readonly tabs: readonly string[];
  /** A text editor is drawn in the group. */
  readonly text: boolean;
}

export async function editorGroups(page: Page): Promise<GroupInfo[]> {
  return page.locator('.editor-group-container').evaluateAll((gs) =>
    gs.map((g) => {
      // (No named helpers in here: the test runner's transform would wrap them in a __name() the page lacks.)
      const r = g.getBoundingClientRect();
      return {
        left: r.left,
        top: r.top,
        right: r.right,
        bottom: r.bottom,
        active: g.querySelector('.tab.active .label-name')?.textContent ?? null,
        tabs: Array.from(g.querySelectorAll('.tab .label-name')).map((t) => t.textContent ?? ''),
        text: Array.from(g.querySelectorAll('.editor-container .monaco-editor')).some(
          (e) => e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0 && getComputedStyle(e).visibility !== 'hidden',
        ),
      };
    }),
  );
}

/** Boxes of the webview frames VS Code shows (they float over their group, outside its DOM). */
export async function shownWebviews(page: Page): Promise<Box[]> {
  return page.locator('iframe.webview').evaluateAll((fs) =>
    fs
      .filter((f) => {
        const b = f.getBoundingClientRect();
        let e: Element | null = f;
        while (e) {
          const s = getComputedStyle(e);
          if (s.visibility === 'hidden' || s.display === 'none') return false;
          e = e.parentElement;
        }
        return b.width > 0 && b.height > 0;
      })
      .map((f) => {
        const b = f.getBoundingClientRect();
        return { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      }),
  );
}

export function inside(inner: Box, outer: Box): boolean {
  const cx = (inner.left + inner.right) / 2;
  const cy = (inner.top + inner.bottom) / 2;
  return cx > outer.left && cx < outer.right && cy > outer.top && cy < outer.bottom;
}

export function intersects(a: Box, b: Box): boolean {
  return Math.min(a.right, b.right) - Math.max(a.left, b.left) > OVERLAP_TOLERANCE_PX && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > OVERLAP_TOLERANCE_PX;
}

/** The group showing the trace editor (its webview), checked to be one. */
export function traceGroup(groups: readonly GroupInfo[], webviews: readonly Box[], traceName: string): GroupInfo {
  const withTrace = groups.filter((g) => g.active === traceName && !g.text && webviews.some((w) => inside(w, g)));
  assert.equal(withTrace.length, 1, `the trace editor is drawn in ${withTrace.length} groups: ${JSON.stringify(groups)}`);
  return withTrace[0] as GroupInfo;
}
