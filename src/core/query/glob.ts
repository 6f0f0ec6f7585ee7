/**
 * ftrace's `~` glob (lib/glob.c glob_match(), used by the kernel's event filters): `*` any run,
 * `?` one character, `[abc]`, `[a-z]`, `[!x]` (or `[^x]`) one character of a set; everything else
 * is literal. Matched by the same greedy walk as the kernel's, which backtracks only to the last
 * `*`: at most pattern x text steps, never exponential.
 */

/** Compiles `pattern` into a predicate over whole strings. */
export function globMatcher(pattern: string): (s: string) => boolean {
  const p = [...pattern];
  // Common shapes without the general walk: `abc`, `abc*`, `*abc`, `*abc*` (what the kernel
  // special-cases too: MATCH_FULL, FRONT_ONLY, END_ONLY, MIDDLE_ONLY).
  const inner = pattern.replace(/^\*/, '').replace(/\*$/, '');
  if (!/[*?[\]]/.test(inner)) {
    const front = pattern.startsWith('*');
    const back = pattern.length > 1 && pattern.endsWith('*');
    if (front && back) return (s) => s.includes(inner);
    if (front) return (s) => s.endsWith(inner);
    if (back) return (s) => s.startsWith(inner);
    return (s) => s === pattern;
  }
  return (s) => globWalk(p, [...s]);
}

function globWalk(p: readonly string[], s: readonly string[]): boolean {
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length) {
      const c = p[pi];
      if (c === '*') {
        starP = ++pi;
        starS = si;
        continue;
      }
      if (c === '?') {
        pi++;
        si++;
        continue;
      }
      if (c === '[') {
        const set = classAt(p, pi);
        if (set && set.test(s[si] ?? '')) {
          pi = set.end;
          si++;
          continue;
        }
        if (set === null && s[si] === '[') {
          pi++;
          si++;
          continue;
        }
      } else if (c === s[si]) {
        pi++;
        si++;
        continue;
      }
    }
    if (starP < 0) return false;
    pi = starP;
    si = ++starS;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/** The bracket class opening at `p[at]`, or null when it is not closed (then `[` is literal). */
function classAt(p: readonly string[], at: number): { end: number; test: (c: string) => boolean } | null {
  let i = at + 1;
  const negate = p[i] === '!' || p[i] === '^';
  if (negate) i++;
  const ranges: [string, string][] = [];
  // A `]` right after the opening (or after the negation) is a member, as in glob(7).
  let first = true;
  while (i < p.length && (first || p[i] !== ']')) {
    first = false;
    const lo = p[i] ?? '';
    const hi = p[i + 2];
    if (p[i + 1] === '-' && hi !== undefined && hi !== ']') {
      ranges.push([lo, hi]);
      i += 3;
    } else {
      ranges.push([lo, lo]);
      i++;
    }
  }
  if (i >= p.length) return null;
  return { end: i + 1, test: (c) => ranges.some(([a, b]) => c >= a && c <= b) !== negate };
}
