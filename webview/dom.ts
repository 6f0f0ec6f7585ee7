/**
 * The only way this webview creates DOM. Text goes in through textContent and attributes
 * through setAttribute, never through innerHTML: trace strings are attacker-controlled
 * (a trace_marker line can hold `<script>`), and the CSP has no 'unsafe-inline'.
 */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Sets textContent only when it changed: the table redraws ~60 rows per frame. */
export function setText(e: Element, text: string): void {
  if (e.textContent !== text) e.textContent = text;
}

export function clear(e: Element): void {
  e.replaceChildren();
}

/** Lookup that fails loudly on a missing element instead of returning null. */
export function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`missing #${id}`);
  return e as T;
}
