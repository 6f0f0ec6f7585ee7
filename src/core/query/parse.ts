/**
 * The filter expression language (README.md of this room has the grammar): a hand-written
 * recursive-descent parser over the expression text. No eval, no regular expressions run on the
 * user's text, input length and nesting depth bounded; every error names the 1-based column of
 * the character where the parser stopped (`len > ` -> "expected a value at column 7").
 */

/** Longest expression accepted, in UTF-16 code units (a filter bar entry, not a program). */
export const MAX_EXPR_LENGTH = 4096;
/** Deepest nesting of parentheses and `!`: the parser recurses once per level. */
export const MAX_EXPR_DEPTH = 64;

export class QueryError extends Error {
  /** 1-based column of the offending character (one past the end for "expected …" at the end). */
  readonly column: number;
  constructor(what: string, column: number) {
    super(`${what} at column ${column}`);
    this.name = 'QueryError';
    this.column = column;
  }
}

export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~' | 'matches';

export interface FieldRef {
  readonly name: string;
  /** 1-based column of the name's first character. */
  readonly column: number;
}

export interface Literal {
  readonly text: string;
  /** Written in quotes: always a string (never a number or an address). */
  readonly quoted: boolean;
  readonly column: number;
}

export type Expr =
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'cmp'; readonly field: FieldRef; readonly op: CmpOp; readonly opColumn: number; readonly value: Literal }
  /** A bare name: the field (or, in a capture, the protocol) is present. */
  | { readonly kind: 'exists'; readonly field: FieldRef };

/** Wireshark's word spellings of the comparison operators, as well as the symbols. */
const WORD_OPS: Readonly<Record<string, CmpOp>> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=', matches: 'matches' };

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';
const isNameStart = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
const isNameChar = (c: string | undefined): boolean => c !== undefined && (isNameStart(c) || (c >= '0' && c <= '9') || c === '.');
/** Characters of an unquoted value: numbers (0x1f, 1.5ms, -3), addresses (10.0.0.0/8, fe80::1, 66:34:87:fe:31:1c), words, globs. */
const isBareValueChar = (c: string | undefined): boolean => isNameChar(c) || c === ':' || c === '/' || c === '-' || c === '+' || c === '*' || c === '?' || c === '[' || c === ']';

/** Parses `text`; null for an empty (all blank) expression, which keeps every event. */
export function parseExpr(text: string): Expr | null {
  if (text.length > MAX_EXPR_LENGTH) throw new QueryError(`expression longer than ${MAX_EXPR_LENGTH} characters`, MAX_EXPR_LENGTH + 1);
  const p = new Parser(text);
  p.skipSpace();
  if (p.atEnd()) return null;
  const e = p.orExpr(0);
  p.skipSpace();
  if (!p.atEnd()) throw p.unexpected('expected && or || or the end');
  return e;
}

class Parser {
  private pos = 0;
  constructor(private readonly s: string) {}

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }

  skipSpace(): void {
    while (this.pos < this.s.length && isSpace(this.s[this.pos])) this.pos++;
  }

  private col(): number {
    return this.pos + 1;
  }

  /** An error at the current position: what was expected, and what is there instead. */
  unexpected(expected: string): QueryError {
    if (this.atEnd()) return new QueryError(expected, this.col());
    return new QueryError(`${expected}, found ${JSON.stringify(this.s[this.pos])}`, this.col());
  }

  /** Consumes `sym` when it is next (after blanks). */
  private eat(sym: string): boolean {
    this.skipSpace();
    if (this.s.startsWith(sym, this.pos)) {
      this.pos += sym.length;
      return true;
    }
    return false;
  }

  /** Consumes the keyword `w` when it is next as a whole word. */
  private eatWord(w: string): boolean {
    this.skipSpace();
    if (!this.s.startsWith(w, this.pos)) return false;
    const after = this.s[this.pos + w.length];
    if (after !== undefined && isNameChar(after)) return false;
    this.pos += w.length;
    return true;
  }

  orExpr(depth: number): Expr {
    let left = this.andExpr(depth);
    while (this.eat('||') || this.eatWord('or')) left = { kind: 'or', left, right: this.andExpr(depth) };
    return left;
  }

  private andExpr(depth: number): Expr {
    let left = this.unary(depth);
    while (this.eat('&&') || this.eatWord('and')) left = { kind: 'and', left, right: this.unary(depth) };
    return left;
  }

  private unary(depth: number): Expr {
    this.skipSpace();
    if (depth >= MAX_EXPR_DEPTH) throw new QueryError(`nested deeper than ${MAX_EXPR_DEPTH} levels`, this.col());
    if (this.s[this.pos] === '!' && this.s[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'not', operand: this.unary(depth + 1) };
    }
    if (this.eatWord('not')) return { kind: 'not', operand: this.unary(depth + 1) };
    if (this.eat('(')) {
      const e = this.orExpr(depth + 1);
      if (!this.eat(')')) throw this.unexpected("expected ')'");
      return e;
    }
    return this.comparison();
  }

  private comparison(): Expr {
    this.skipSpace();
    const column = this.col();
    if (this.atEnd() || !isNameStart(this.s[this.pos])) throw this.unexpected('expected a field name');
    const start = this.pos;
    while (this.pos < this.s.length && isNameChar(this.s[this.pos])) this.pos++;
    const field: FieldRef = { name: this.s.slice(start, this.pos), column };
    this.skipSpace();
    const opColumn = this.col();
    const op = this.operator();
    if (op === null) return { kind: 'exists', field };
    return { kind: 'cmp', field, op, opColumn, value: this.value() };
  }

  private operator(): CmpOp | null {
    for (const sym of ['==', '!=', '<=', '>=', '<', '>', '~'] as const) if (this.s.startsWith(sym, this.pos)) {
      this.pos += sym.length;
      return sym;
    }
    for (const [w, op] of Object.entries(WORD_OPS)) if (this.eatWord(w)) return op;
    return null;
  }

  private value(): Literal {
    this.skipSpace();
    const column = this.col();
    const c = this.s[this.pos];
    if (c === '"' || c === "'") return { text: this.quoted(c), quoted: true, column };
    const start = this.pos;
    while (this.pos < this.s.length && isBareValueChar(this.s[this.pos])) this.pos++;
    if (this.pos === start) throw this.unexpected('expected a value');
    return { text: this.s.slice(start, this.pos), quoted: false, column };
  }

  /** A string in `q` quotes; backslash escapes \\ \" \' \n \t \xHH. */
  private quoted(q: string): string {
    const open = this.col();
    this.pos++;
    let out = '';
    while (this.pos < this.s.length) {
      const c = this.s[this.pos++];
      if (c === q) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.pos++];
      if (e === 'n') out += '\n';
      else if (e === 't') out += '\t';
      else if (e === 'x') {
        const hex = this.s.slice(this.pos, this.pos + 2);
        if (hex.length !== 2 || !/^[0-9a-fA-F]{2}$/.test(hex)) throw new QueryError('expected two hex digits after \\x', this.pos + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        this.pos += 2;
      } else if (e === undefined) break;
      else out += e;
    }
    throw new QueryError(`unterminated string (opened at column ${open})`, this.s.length + 1);
  }
}
