/** POSIX shell quoting: everything placed in a generated command goes through `sq`. */

/** Single-quotes `s` for sh/bash (`'` becomes `'\''`). Plain words are left bare for readability. */
export function sq(s: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
