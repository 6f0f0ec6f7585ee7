/**
 * What every format's payload decoder gives (DecodedPayload: fields, and where the format has
 * them a probe site and a stack), and the `key=value` splitting that ftrace, trace-cmd report,
 * perf script and printf payloads share.
 */

export interface ProbeSite {
  /** Symbol the probe (or, for a return probe, the return address) is in; null for bare addresses. */
  readonly symbol: string | null;
  /** Offset into the symbol, bytes. */
  readonly offset: number | null;
  /** Size of the symbol, bytes. */
  readonly size: number | null;
  /** Bare address (uprobes without symbols), hex string. */
  readonly address: string | null;
  /** For return probes: the probed function (`<- func`). */
  readonly returnFrom: string | null;
}

export interface DecodedPayload {
  readonly fields: Record<string, string>;
  readonly probe?: ProbeSite;
  readonly stack?: readonly string[];
}

/**
 * `key=value` pairs. A value runs to the next whitespace-separated `key=`, so values with
 * spaces (`prev_comm=Web Content`) and with `=` inside (`my_field=foo=bar`) stay whole.
 * Text before the first key is kept under `text`. sched_switch's `==>` separator is dropped.
 */
export function parseKeyValues(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const keyRe = /(?:^|\s)([A-Za-z_$][\w$.]*)=/g;
  const keys: { key: string; start: number; valueStart: number }[] = [];
  let m: RegExpExecArray | null;
  while ((m = keyRe.exec(text)) !== null) {
    const start = m.index + (m[0].length - (m[1] as string).length - 1);
    keys.push({ key: m[1] as string, start, valueStart: m.index + m[0].length });
    // Do not let a value's own `=` start a key: resume the scan after this key's `=`.
    keyRe.lastIndex = m.index + m[0].length;
  }
  if (keys.length === 0) {
    const t = text.trim();
    return t ? { text: t } : fields;
  }
  const lead = text.slice(0, (keys[0] as { start: number }).start).trim();
  if (lead) fields.text = lead;
  for (let k = 0; k < keys.length; k++) {
    const cur = keys[k] as { key: string; valueStart: number };
    const end = k + 1 < keys.length ? (keys[k + 1] as { start: number }).start : text.length;
    let value = text.slice(cur.valueStart, end).trim();
    if (value.endsWith(' ==>')) value = value.slice(0, -4).trimEnd();
    fields[cur.key] = value;
  }
  return fields;
}
