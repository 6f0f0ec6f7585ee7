/**
 * What a probe on one source line can record: the variables in scope there (the function's
 * parameters and the locals declared before the line in an enclosing block) and the ones the
 * line reads, as perf probe argument expressions (`addr`, `len`, member chains `xs->rx`).
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { FunctionDef } from './c-functions';

export interface LineVariables {
  /** Names in scope at the start of the line. */
  readonly inScope: ReadonlySet<string>;
  /** Expressions the line reads, in source order, each rooted at an in-scope name. */
  readonly used: readonly string[];
}

/** A perf probe argument: a C identifier or a member chain (`xs->pool->fq`, `skb->dev`). */
export const VARIABLE_EXPR = /^[A-Za-z_][A-Za-z0-9_]*(?:(?:->|\.)[A-Za-z_][A-Za-z0-9_]*)*$/;

export function rootName(expr: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*/.exec(expr)?.[0] ?? expr;
}

export function lineVariables(tree: Tree, fn: FunctionDef, line: number): LineVariables {
  const row = line - 1;
  const inScope = new Set<string>(fn.params);
  const fnNode = enclosing(tree.rootNode, fn.startLine - 1, fn.endLine - 1);
  const body = fnNode?.childForFieldName('body') ?? fnNode?.namedChildren.find((c) => c?.type === 'compound_statement') ?? null;
  if (body) collectLocals(body, row, inScope);
  const used: string[] = [];
  const seen = new Set<string>();
  if (body) {
    for (const stmt of statementsOnRow(body, row)) collectReads(stmt, row, inScope, used, seen);
  }
  return { inScope, used };
}

/** The function_definition (or syscall macro block) spanning exactly these rows. */
function enclosing(root: Node, startRow: number, endRow: number): Node | null {
  let best: Node | null = null;
  const visit = (n: Node): void => {
    for (const c of n.namedChildren) {
      if (!c || c.endPosition.row < startRow || c.startPosition.row > endRow) continue;
      if (c.type === 'function_definition' || (c.type === 'compound_statement' && c.endPosition.row === endRow)) {
        best = c;
        return;
      }
      if (c.type.startsWith('preproc_') || c.type === 'ERROR') visit(c);
    }
  };
  visit(root);
  if (best && (best as Node).type === 'compound_statement') {
    // syscall macro: the block itself is the body; wrap as a pseudo function.
    return (best as Node).parent;
  }
  return best;
}

/** Locals declared before `row` in blocks that contain `row`. */
function collectLocals(block: Node, row: number, out: Set<string>): void {
  for (const c of block.namedChildren) {
    if (!c || c.startPosition.row >= row) continue;
    if (c.type === 'declaration') {
      for (const d of c.childrenForFieldName('declarator')) {
        const name = declaredName(d);
        if (name) out.add(name);
      }
    } else if (c.endPosition.row >= row) {
      // A statement that contains the line: descend into its blocks (and for-loop declarations).
      for (const sub of c.namedChildren) {
        if (!sub) continue;
        if (sub.type === 'declaration' && c.type === 'for_statement') {
          for (const d of sub.childrenForFieldName('declarator')) {
            const name = declaredName(d);
            if (name) out.add(name);
          }
        }
        if (sub.startPosition.row <= row && sub.endPosition.row >= row) collectLocals(sub, row, out);
      }
    }
  }
}

function declaredName(d: Node | null): string | null {
  let n: Node | null = d;
  while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChildren[0] ?? null;
  return n ? n.text : null;
}

/** The innermost statements that start on `row`. */
function statementsOnRow(n: Node, row: number): Node[] {
  const out: Node[] = [];
  const visit = (x: Node): void => {
    for (const c of x.namedChildren) {
      if (!c || c.startPosition.row > row || c.endPosition.row < row) continue;
      if (c.startPosition.row === row && /_statement$|^declaration$/.test(c.type) && c.type !== 'compound_statement') {
        // if/while/for: only their condition is on this row.
        const cond = c.childForFieldName('condition');
        out.push(cond && c.type !== 'expression_statement' ? cond : c);
      } else visit(c);
    }
  };
  visit(n);
  return out;
}

/** Identifiers and member chains read on `row`, rooted at in-scope names (assignment targets excluded). */
function collectReads(n: Node, row: number, inScope: ReadonlySet<string>, out: string[], seen: Set<string>): void {
  if (n.startPosition.row > row || n.endPosition.row < row) return;
  if (n.type === 'assignment_expression') {
    const right = n.childForFieldName('right');
    const left = n.childForFieldName('left');
    // `x = ...` does not read x; `x->f = ...` reads x.
    if (left && left.type !== 'identifier') collectReads(left, row, inScope, out, seen);
    if (right) collectReads(right, row, inScope, out, seen);
    return;
  }
  if (n.type === 'field_expression' || n.type === 'identifier') {
    if (n.startPosition.row !== row) return;
    const text = n.text.replace(/\s+/g, '');
    if (VARIABLE_EXPR.test(text) && inScope.has(rootName(text)) && !seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
    if (n.type === 'identifier' || VARIABLE_EXPR.test(text)) return;
  }
  if (n.type === 'call_expression') {
    // The callee is code, not data.
    const args = n.childForFieldName('arguments');
    if (args) collectReads(args, row, inScope, out, seen);
    return;
  }
  for (const c of n.namedChildren) if (c) collectReads(c, row, inScope, out, seen);
}
