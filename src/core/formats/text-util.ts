/** Small helpers the text readers share. */

/** UTF-8 byte length of the first `n` UTF-16 units of `s` (a decoded offset back to bytes). */
export function utf8Length(s: string, n: number = s.length): number {
  let bytes = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      k++;
    } else bytes += 3;
  }
  return bytes;
}

/** A line cut to 80 characters for an issue message. */
export function preview(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
