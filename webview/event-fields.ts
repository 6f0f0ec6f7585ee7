/**
 * The `name=value` fields of an event's text (tracepoint and kprobe payloads), offered by the
 * interleave view as the shared object to follow. Pure, so the test can check it without a page.
 */

export function fieldsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)([A-Za-z_$][\w$.]*)=(\S+)/g)) {
    const kv = `${m[1] as string}=${m[2] as string}`;
    if (!out.includes(kv)) out.push(kv);
  }
  return out;
}
