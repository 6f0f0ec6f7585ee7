/**
 * Keyboard moves in a listbox (WAI-ARIA): ↑/↓ one option, Home/End the first/last. Shared by
 * the findings list and the interleave listing.
 */

/** The option `key` moves the selection to, among `n` options; null when the key is not a move. */
export function listboxStep(key: string, cur: number | null, n: number): number | null {
  if (n <= 0) return null;
  switch (key) {
    case 'ArrowDown':
      return cur === null ? 0 : Math.min(n - 1, cur + 1);
    case 'ArrowUp':
      return cur === null ? 0 : Math.max(0, cur - 1);
    case 'Home':
      return 0;
    case 'End':
      return n - 1;
    default:
      return null;
  }
}
