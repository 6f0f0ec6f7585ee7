/**
 * Fields of a printf-style event, decoded on demand: the `key=value` pairs of the line
 * (text before the first key under `text`), or the named groups of the user pattern the
 * trace was read with when the line matches it.
 */
import type { Trace } from '../../trace/trace';
import { parseKeyValues, type DecodedPayload } from '../decoded';
import { patternFields } from './lines';
import type { UserRegex } from '../../config/user-regex';

const patterns = new WeakMap<Trace, UserRegex>();

export function rememberPattern(trace: Trace, re: UserRegex): void {
  patterns.set(trace, re);
}

export function decodePrintfEvent(trace: Trace, i: number): DecodedPayload {
  // The reader tried the pattern first and fell back to key=value: decode the same way.
  const re = patterns.get(trace);
  const fields = re ? patternFields(trace.recordText(i), re) : null;
  return { fields: fields ?? parseKeyValues(trace.payloadText(i)) };
}
