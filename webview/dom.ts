/**
 * The only way this webview creates DOM. Text goes in through textContent and attributes
 * through setAttribute, never through innerHTML: trace strings are attacker-controlled
 * (a trace_marker line can hold `<script>`), and the CSP has no 'unsafe-inline'.
 *
 * Every text set here goes through visibleText: control characters, zero-width characters and
 * bidirectional overrides/isolates (U+202A–202E, U+2066–2069: "Trojan Source") show as escapes
 * (`\x1b`, `\u202e`) instead of hiding or reordering the text around them.
 */
import { visibleText } from '../src/protocol/visible-text';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = visibleText(text);
  return e;
}

/** Like `el` for text shown on several lines on purpose (white-space: pre-wrap): `\n` stays a line break. */
export function elLines<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text: string): HTMLElementTagNameMap[K] {
  const e = el(tag, className);
  e.textContent = visibleText(text, true);
  return e;
}

/** Sets textContent only when it changed: the table redraws ~60 rows per frame. */
export function setText(e: Element, text: string): void {
  const shown = visibleText(text);
  if (e.textContent !== shown) e.textContent = shown;
}

/** A tooltip (`title`) holding trace text, shown the same way. */
export function setTitle(e: HTMLElement, text: string): void {
  e.title = visibleText(text);
}

/** A tooltip of several lines: each shown like `setTitle`, one per tooltip line. */
export function setTitleLines(e: HTMLElement, lines: readonly string[]): void {
  e.title = lines.map((l) => visibleText(l)).join('\n');
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
