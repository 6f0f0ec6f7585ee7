/**
 * Regular expressions written by the user (lifecycle model patterns and the printf pattern of
 * `.vscode/kernel-trace.json`, `ktl --config`) run on RE2 (re2js: a pure-JavaScript port of
 * RE2, https://github.com/google/re2/wiki/Syntax): matching takes time linear in the text,
 * whatever the pattern. JavaScript's own engine backtracks: `(a+)+$` against a 40-character
 * line ran past 30 s, and the worker (or `ktl`) with it. RE2 has no backreferences and no
 * lookaround; a pattern using them is refused with the reason, which the config reader reports
 * under the pattern's JSON path.
 *
 * Speed: re2js interprets its program and runs ~10x slower than V8's own engine (printf column
 * output: 2 MB/s against 20 MB/s). A pattern RE2 finds *one-pass* (anchored with `^`, and at
 * every choice the next character decides the branch: typical column layouts such as
 * `^(?<ts>\d+)\s+(?<comm>\S+)...$`) cannot make a backtracking engine backtrack more than
 * one step per character per instruction, so it runs on V8's RegExp instead, translated token
 * by token so both engines read it alike (ASCII-only pattern, no flags; `\s` and `.` spelled as
 * RE2 means them, the `u` flag so classes take whole code points). Anything else stays on RE2.
 */
import { RE2JS } from 're2js';

export interface UserMatch {
  /** Where the match starts in the text (UTF-16 units, as String.prototype.slice counts). */
  readonly index: number;
  /** The named groups; a group that did not take part in the match is undefined. */
  readonly groups: Readonly<Record<string, string | undefined>>;
}

export interface UserRegex {
  readonly source: string;
  /** Which engine runs it: RE2 (re2js), V8's for a one-pass pattern (see above), or V8's for our own (`builtinRegex`). */
  readonly engine: 're2' | 'v8-onepass' | 'v8-builtin';
  /** The first match anywhere in `text` (not anchored, like RegExp.prototype.exec), or null. */
  exec(text: string): UserMatch | null;
}

export interface UserRegexFlags {
  readonly ignoreCase?: boolean;
  /** `.` matches a newline too. */
  readonly dotAll?: boolean;
  /** `^` and `$` match at line starts and ends. */
  readonly multiline?: boolean;
}

const NO_GROUPS: Readonly<Record<string, string | undefined>> = Object.freeze({});

/**
 * One of our own patterns (the built-in lifecycle models: reviewed, shipped, not the user's) on
 * V8's engine, behind the same interface. Never for text from a workspace or a user.
 */
export function builtinRegex(pattern: string, flags: UserRegexFlags = {}): UserRegex {
  return onV8(pattern, 'v8-builtin', new RegExp(pattern, `${flags.ignoreCase ? 'i' : ''}${flags.dotAll ? 's' : ''}${flags.multiline ? 'm' : ''}`));
}

function onV8(source: string, engine: UserRegex['engine'], re: RegExp): UserRegex {
  return {
    source,
    engine,
    exec(text: string): UserMatch | null {
      const m = re.exec(text);
      return m === null ? null : { index: m.index, groups: m.groups ?? NO_GROUPS };
    },
  };
}

/** Compiles `pattern` for RE2; a message saying why when RE2 cannot run it. */
export function compileUserRegex(pattern: string, flags: UserRegexFlags = {}): UserRegex | string {
  const bits = (flags.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0) | (flags.dotAll ? RE2JS.DOTALL : 0) | (flags.multiline ? RE2JS.MULTILINE : 0);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, bits);
  } catch (err) {
    return notRunnable(pattern, err instanceof Error ? err.message : String(err));
  }
  const fast = bits === 0 && isOnePass(re) ? jsEquivalent(pattern) : null;
  if (fast !== null) return onV8(pattern, 'v8-onepass', fast);
  return {
    source: pattern,
    engine: 're2',
    exec(text: string): UserMatch | null {
      // re2js types its result as an array; it is RegExpExecArray-shaped (index, groups).
      const m = re.exec(text) as (string[] & { index: number; groups?: Record<string, string | undefined> }) | null;
      if (m === null) return null;
      return { index: m.index, groups: m.groups ?? NO_GROUPS };
    },
  };
}

/** The reason, with what RE2 leaves out named when the pattern seems to use it. */
function notRunnable(pattern: string, reason: string): string {
  const lookaround = /\(\?<?[=!]/.test(pattern);
  const backref = /(^|[^\\])(\\\\)*\\[1-9k]/.test(pattern);
  const hint = lookaround || backref ? ` (${[lookaround ? 'lookaround' : '', backref ? 'backreferences' : ''].filter(Boolean).join(' and ')} cannot be matched in linear time; RE2 does not have them)` : '';
  return `not a regular expression RE2 can run: ${reason.replace(/^error parsing regexp: /, '')}${hint}`;
}

/**
 * Whether RE2 compiled `re` to a one-pass program. re2js keeps that in an internal field
 * (`re2Input.onepass`; re2js is pinned in package.json): when it is not there, no fast path.
 */
function isOnePass(re: RE2JS): boolean {
  const internal = re as unknown as { re2Input?: { onepass?: unknown } };
  return internal.re2Input?.onepass !== undefined && internal.re2Input.onepass !== null;
}

const WORD_ESCAPES = 'dDwWbBtnrf';
/** What RE2 means by \s (Perl's [\t\n\f\r ]); V8's \s also takes \v and Unicode spaces. */
const RE2_SPACE = '\\t\\n\\f\\r ';
const GROUP_NAME = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/;
const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;

/**
 * `pattern` as a V8 RegExp (with `u`) that matches exactly what RE2 matches, with the same groups;
 * null when the pattern uses anything outside the small common subset checked here.
 */
function jsEquivalent(pattern: string): RegExp | null {
  if (!/^[\x20-\x7e]*$/.test(pattern)) return null;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const e = pattern[++i];
      if (e === undefined) return null;
      if (e === 's') out += `[${RE2_SPACE}]`;
      else if (e === 'S') out += `[^${RE2_SPACE}]`;
      else if (WORD_ESCAPES.includes(e) || '^$\\.*+?()[]{}|/'.includes(e)) out += `\\${e}`;
      else return null; // backreferences, \Q..\E, \p{..}, \x.., \A, \z: leave them to RE2
    } else if (c === '[') {
      const end = classEnd(pattern, i);
      if (end < 0) return null;
      const body = translateClass(pattern.slice(i + 1, end));
      if (body === null) return null;
      out += `[${body}]`;
      i = end;
    } else if (c === '(') {
      if (pattern[i + 1] !== '?') out += '(';
      else if (pattern.startsWith('(?:', i)) {
        out += '(?:';
        i += 2;
      } else {
        const g = GROUP_NAME.exec(pattern.slice(i));
        if (!g) return null; // (?i), (?P<..>), lookaround
        out += g[0];
        i += g[0].length - 1;
      }
    } else if (c === '{') {
      const q = QUANTIFIER.exec(pattern.slice(i));
      if (!q) return null;
      out += q[0];
      i += q[0].length - 1;
    } else if (c === '.') out += '[^\\n]';
    else out += c;
  }
  try {
    return new RegExp(out, 'u');
  } catch {
    return null;
  }
}

/** Index of the `]` closing the class opened at `start`, or -1 (also for the RE2-only `[]...]`). */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') return -1;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

/** A class body (between the brackets) for V8; null for POSIX classes, \S and other escapes. */
function translateClass(body: string): string | null {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c === '[') return null; // [[:alpha:]] in RE2, a literal [ in V8
    if (c === '\\') {
      const e = body[++i];
      if (e === undefined) return null;
      if (e === 's') out += RE2_SPACE;
      else if ('dDwWtnrf'.includes(e) || '^$\\.*+?()[]{}|/-'.includes(e)) out += `\\${e}`;
      else return null;
    } else out += c;
  }
  return out;
}
