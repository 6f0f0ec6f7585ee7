/**
 * Every line of a generated script is built here, from parts: command words (shell-quoted),
 * fixed syntax we wrote (`>`, `||`, `;`) and comment text (made inert). Untrusted text — a
 * `--var` value, a workspace file's path, a function name read from source, a warning quoting
 * any of them — only ever goes in as a word or as a comment, never pasted into a line.
 */
import { visibleText } from '../trace/visible-text';

/** Single-quotes `s` for sh/bash (`'` becomes `'\''`). Plain words are left bare for readability. */
export function sq(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Shell syntax of ours, written as is: the closed set below, never text from input. */
export interface Syntax {
  readonly syntax: '>' | '||' | ';';
}

export function op(syntax: Syntax['syntax']): Syntax {
  return { syntax };
}

/** A command word (quoted) or a piece of our own syntax. */
export type Word = string | Syntax;

/** One script line: a command, a comment, both (`cmd  # comment`), or neither (a blank line). */
export interface ScriptLine {
  readonly words?: readonly Word[];
  readonly comment?: string;
}

/**
 * The text of one line. A comment's control characters are shown as escapes (`\n`, `\r`,
 * `\x1b`, `\u202e`), so a line break in it cannot end the comment and start a command, and a
 * terminal escape or a bidi override cannot hide what the script does.
 */
export function scriptLine(line: ScriptLine): string {
  const command = (line.words ?? []).map((w) => (typeof w === 'string' ? sq(w) : w.syntax)).join(' ');
  const comment = line.comment === undefined ? '' : `# ${visibleText(line.comment)}`.trimEnd();
  return command !== '' && comment !== '' ? `${command}  ${comment}` : command || comment;
}

/** A whole `#!/bin/sh` script, one `scriptLine` per line. */
export function shellScript(lines: readonly ScriptLine[]): string {
  return ['#!/bin/sh', ...lines.map(scriptLine), ''].join('\n');
}
