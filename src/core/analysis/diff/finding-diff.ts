/**
 * Findings that appear in only one of two inputs. A finding's line, time, address and counts
 * differ between any two recordings, so findings are compared by their shape: the kind plus
 * the message with every number and hex word replaced by `#` (`fifo-order: # left before #`).
 * A shape present on one side only is reported with how often it occurs and one example.
 */

export interface ComparableFinding {
  readonly kind: string;
  readonly message: string;
  /** 1-based line (traces) or packet (captures) of the example, for "go to". */
  readonly line?: number;
  readonly packet?: number;
}

export interface FindingShape {
  readonly kind: string;
  /** The message with numbers replaced by `#`. */
  readonly shape: string;
  readonly a: number;
  readonly b: number;
  /** The first finding of this shape on the side that has it (a when both do). */
  readonly example: ComparableFinding;
}

export interface FindingsDiff {
  /** Findings per kind on each side, biggest change first. */
  readonly kinds: { kind: string; a: number; b: number; diff: number }[];
  /** Shapes only the first input has, then only the second. */
  readonly onlyA: FindingShape[];
  readonly onlyB: FindingShape[];
}

// Hex addresses (with or without 0x), decimals with fractions, and units glued to them (`12ms`).
const NUMBERS = /\b0x[0-9a-f]+\b|\b[0-9a-f]*\d[0-9a-f]*\b|\d+(?:\.\d+)?/gi;

export function findingShape(f: ComparableFinding): string {
  return `${f.kind}: ${f.message.replace(NUMBERS, '#')}`;
}

export function diffFindings(a: readonly ComparableFinding[], b: readonly ComparableFinding[]): FindingsDiff {
  const shapes = new Map<string, { kind: string; a: number; b: number; example: ComparableFinding }>();
  const kinds = new Map<string, { a: number; b: number }>();
  const add = (f: ComparableFinding, side: 'a' | 'b'): void => {
    const shape = findingShape(f);
    let s = shapes.get(shape);
    if (!s) {
      s = { kind: f.kind, a: 0, b: 0, example: f };
      shapes.set(shape, s);
    }
    s[side]++;
    let k = kinds.get(f.kind);
    if (!k) {
      k = { a: 0, b: 0 };
      kinds.set(f.kind, k);
    }
    k[side]++;
  };
  for (const f of a) add(f, 'a');
  for (const f of b) add(f, 'b');
  const onlyA: FindingShape[] = [];
  const onlyB: FindingShape[] = [];
  for (const [shape, s] of shapes) {
    if (s.b === 0) onlyA.push({ kind: s.kind, shape, a: s.a, b: 0, example: s.example });
    else if (s.a === 0) onlyB.push({ kind: s.kind, shape, a: 0, b: s.b, example: s.example });
  }
  const order = (x: FindingShape, y: FindingShape): number => y.a + y.b - (x.a + x.b) || (x.shape < y.shape ? -1 : x.shape > y.shape ? 1 : 0);
  return {
    kinds: [...kinds].map(([kind, k]) => ({ kind, a: k.a, b: k.b, diff: k.b - k.a })).sort((x, y) => Math.abs(y.diff) - Math.abs(x.diff) || (x.kind < y.kind ? -1 : 1)),
    onlyA: onlyA.sort(order),
    onlyB: onlyB.sort(order),
  };
}
