/**
 * The webview may import only protocol, and it must show trace text the way the scripts and the
 * hovers do: control, zero-width and bidirectional characters as escapes. This re-exports the
 * one pure function (core/trace/visible-text.ts, no imports of its own) rather than keep a
 * second table of characters here.
 */
export { visibleText } from '../core/trace/visible-text';
