/** Byte constants and classifiers for the text readers' hot paths (ASCII only). */
export const SPACE = 0x20;
export const TAB = 0x09;
export const HASH = 0x23;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const COLON = 0x3a;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const LBRACK = 0x5b;
export const RBRACK = 0x5d;
export const EQUALS = 0x3d;
export const GT = 0x3e;
export const NUL = 0x00;

export const isSpace = (c: number | undefined): boolean => c === SPACE || c === TAB;
export const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
/** First character of a C identifier. */
export const isIdentStart = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f);
/** Later characters of an event name: C identifier characters plus `.` (e.g. `foo.isra.0`). */
export const isNameChar = (c: number | undefined): boolean => isIdentStart(c) || isDigit(c) || c === DOT;

/** 1 for the bytes isNameChar accepts: one load per byte in the hot loops (index with a byte, never undefined). */
export const NAME_BYTES: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) if (isNameChar(c)) t[c] = 1;
  return t;
})();
