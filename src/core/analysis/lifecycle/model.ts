/**
 * Lifecycle models: pure data saying how trace events become (object key, state) steps, which
 * transitions are legal, which queues are FIFOs, which keys are poison, what a batch is, and
 * when an object counts as stuck. Built-in models live in `models/`; users write the same JSON
 * in `.vscode/kernel-trace.json` (schema: schemas/kernel-trace.schema.json).
 *
 * `compileModel` checks a model (schema, then what a schema cannot say: regular expressions
 * compile, named groups and states exist, selectors refer to real mappings and attributes) and
 * turns it into the lookup tables `analyzeLifecycles` runs on.
 */
import { joinPath, validateDefinition, type SchemaError } from '../../config/schema';
import { ModelError, readKernelTraceConfig } from '../../config/kernel-trace-json';
import { builtinRegex, compileUserRegex, type UserRegex } from '../../config/user-regex';

export type KeyFormat = 'raw' | 'hex' | 'decimal';

/** Which steps a FIFO side or a batch applies to; every given condition must hold. */
export interface SelectorJson {
  readonly mapping?: string;
  readonly state?: string;
  readonly from?: string;
  readonly queue?: string;
}

export interface MappingJson {
  readonly id: string;
  readonly event: string | readonly string[];
  readonly pattern?: string;
  readonly ignoreCase?: boolean;
  readonly key?: string;
  readonly keyFormat?: KeyFormat;
  readonly state?: string;
  readonly from?: string;
  readonly fields?: readonly string[];
}

export interface LifecycleModelJson {
  readonly name: string;
  readonly description?: string;
  readonly states: readonly string[];
  readonly terminal?: readonly string[];
  readonly mappings: readonly MappingJson[];
  readonly transitions: readonly string[];
  readonly reuse?: readonly string[];
  readonly fifo?: readonly { readonly name: string; readonly enter: SelectorJson; readonly leave: SelectorJson }[];
  readonly poison?: readonly string[];
  readonly batches?: readonly { readonly name: string; readonly select: SelectorJson; readonly by: 'task' | 'cpu' }[];
  readonly incomplete?: { readonly states: readonly string[]; readonly afterNs: number };
}

/** No state: stored in Uint8 step columns, so models have at most 250 states (schema maxItems). */
export const NO_STATE = 255;

export interface CompiledMapping {
  readonly id: string;
  readonly index: number;
  readonly events: readonly string[];
  readonly pattern: UserRegex | null;
  /** Field holding the key, or null when the pattern's `key` group does. */
  readonly keyField: string | null;
  readonly keyFormat: KeyFormat;
  /** Constant target state, or NO_STATE when a pattern group (`state` or `to`) gives it. */
  readonly state: number;
  readonly stateGroup: 'state' | 'to' | null;
  /** Constant source state, or NO_STATE (none, or from the `from` group). */
  readonly from: number;
  readonly fromGroup: boolean;
  /** Fields kept as step attributes. */
  readonly fields: readonly string[];
  /** Named groups kept as step attributes (all but key/state/to/from). */
  readonly attrGroups: readonly string[];
  /** Poison keys, normalized with this mapping's keyFormat. */
  readonly poison: ReadonlySet<string>;
}

export interface CompiledSelector {
  /** Mapping index, or -1 for any. */
  readonly mapping: number;
  /** Target state, or NO_STATE for any. */
  readonly state: number;
  /** Declared source state, or NO_STATE for any. */
  readonly from: number;
  /** Attribute naming the queue, or null (one queue). */
  readonly queue: string | null;
}

export interface LifecycleModel {
  readonly name: string;
  readonly description: string;
  readonly states: readonly string[];
  /** Lower-cased state name -> index (captured text is matched case-insensitively). */
  readonly stateByName: ReadonlyMap<string, number>;
  readonly terminal: readonly boolean[];
  /** legal[from * states.length + to] = 1 when from -> to is listed. */
  readonly legal: Uint8Array;
  /** reuse[from * states.length + to] = 1: the key was freed silently and reused (a new object). */
  readonly reuse: Uint8Array;
  readonly mappings: readonly CompiledMapping[];
  readonly fifo: readonly { readonly name: string; readonly enter: CompiledSelector; readonly leave: CompiledSelector }[];
  readonly batches: readonly { readonly name: string; readonly select: CompiledSelector; readonly by: 'task' | 'cpu' }[];
  readonly poison: readonly string[];
  readonly incomplete: { readonly states: readonly boolean[]; readonly afterNs: number } | null;
  /** The model as written (for display and round trips). */
  readonly json: LifecycleModelJson;
}

export function isLegal(model: LifecycleModel, from: number, to: number): boolean {
  return model.legal[from * model.states.length + to] === 1;
}

export function isReuse(model: LifecycleModel, from: number, to: number): boolean {
  return model.reuse[from * model.states.length + to] === 1;
}

function chainPairs(chain: string): [string, string][] {
  const parts = chain.split('->').map((x) => x.trim());
  const out: [string, string][] = [];
  for (let k = 0; k + 1 < parts.length; k++) out.push([parts[k] as string, parts[k + 1] as string]);
  return out;
}

/** Named capture groups of a regular expression source (lookbehinds `(?<=`/`(?<!` are not groups). */
export function namedGroups(source: string): string[] {
  const out: string[] = [];
  const re = /\(\?<([A-Za-z_$][\w$]*)>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) {
    // Skip escaped parentheses: an odd number of backslashes before `(`.
    let bs = 0;
    for (let j = m.index - 1; j >= 0 && source[j] === '\\'; j--) bs++;
    if (bs % 2 === 0) out.push(m[1] as string);
  }
  return out;
}

const CORE_GROUPS = new Set(['key', 'state', 'to', 'from']);

/**
 * Normalizes a key so that different spellings of one number compare equal: `hex` accepts
 * `0x1F00`, `1f00`, `0x00001f00` (all -> `0x1f00`); `decimal` accepts decimal digits (-> hex)
 * and 0x-prefixed hex. Anything else is returned as written.
 */
export function normalizeKey(raw: string, format: KeyFormat): string {
  if (format === 'raw') return raw;
  if (format === 'decimal' && /^\d+$/.test(raw)) return `0x${BigInt(raw).toString(16)}`;
  let s = raw;
  if (s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X')) s = s.slice(2);
  else if (format === 'decimal') return raw;
  if (!/^[0-9a-fA-F]+$/.test(s)) return raw;
  let z = 0;
  while (z < s.length - 1 && s[z] === '0') z++;
  return `0x${(z > 0 ? s.slice(z) : s).toLowerCase()}`;
}

/** The lifecycle models of `.vscode/kernel-trace.json` text; throws ModelError listing every problem. */
export function parseKernelTraceConfig(text: string, source = 'kernel-trace.json'): LifecycleModel[] {
  const config = readKernelTraceConfig(text, source);
  const models: LifecycleModel[] = [];
  const all: SchemaError[] = [];
  const names = new Map<string, number>();
  (config.lifecycles ?? []).forEach((m, i) => {
    const path = joinPath('lifecycles', i);
    const first = names.get(m.name);
    if (first !== undefined) all.push({ path: joinPath(path, 'name'), message: `duplicate model name "${m.name}" (also lifecycles[${first}])` });
    names.set(m.name, i);
    const errs = checkModel(m, path);
    if (errs.length > 0) all.push(...errs);
    else models.push(build(m, false));
  });
  if (all.length > 0) throw new ModelError(all, source);
  return models;
}

/**
 * Checks and compiles one model; throws ModelError. `builtin`: one of ours (models/), whose
 * patterns run on V8's engine; a user's run on RE2 in linear time (config/user-regex.ts).
 */
export function compileModel(json: LifecycleModelJson, path = 'model', builtin = false): LifecycleModel {
  const errors = validateDefinition('model', json, path);
  if (errors.length > 0) throw new ModelError(errors, json.name ?? path);
  const sem = checkModel(json, path);
  if (sem.length > 0) throw new ModelError(sem, json.name);
  return build(json, builtin);
}

function compilePattern(m: MappingJson): UserRegex | string {
  if (m.pattern === undefined) return 'no pattern';
  return compileUserRegex(m.pattern, { ignoreCase: m.ignoreCase === true });
}

/** What a JSON schema cannot say. Assumes the model passed the schema. */
function checkModel(json: LifecycleModelJson, path: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const err = (p: string, message: string): void => {
    errors.push({ path: p, message });
  };
  const states = new Set(json.states);
  const byLower = new Map<string, number>();
  json.states.forEach((s, i) => {
    const first = byLower.get(s.toLowerCase());
    if (first !== undefined) err(joinPath(joinPath(path, 'states'), i), `"${s}" differs from "${json.states[first]}" only in case; captured state text is matched case-insensitively`);
    byLower.set(s.toLowerCase(), i);
  });
  const stateList = json.states.join(', ');
  const needState = (p: string, s: string | undefined): void => {
    if (s !== undefined && !states.has(s)) err(p, `unknown state "${s}"; the model's states are ${stateList}`);
  };
  (json.terminal ?? []).forEach((s, i) => needState(joinPath(joinPath(path, 'terminal'), i), s));
  const legalPairs = new Set<string>();
  json.transitions.forEach((chain, i) => {
    for (const s of chain.split('->').map((x) => x.trim())) needState(joinPath(joinPath(path, 'transitions'), i), s);
    for (const [a, b] of chainPairs(chain)) legalPairs.add(`${a} -> ${b}`);
  });
  (json.reuse ?? []).forEach((chain, i) => {
    const p = joinPath(joinPath(path, 'reuse'), i);
    for (const s of chain.split('->').map((x) => x.trim())) needState(p, s);
    for (const [a, b] of chainPairs(chain)) if (legalPairs.has(`${a} -> ${b}`)) err(p, `${a} -> ${b} is also a legal transition; it cannot be both`);
  });
  const attrs = new Map<string, Set<string>>();
  const ids = new Map<string, number>();
  json.mappings.forEach((m, i) => {
    const mp = joinPath(joinPath(path, 'mappings'), i);
    const first = ids.get(m.id);
    if (first !== undefined) err(joinPath(mp, 'id'), `duplicate mapping id "${m.id}" (also mappings[${first}])`);
    ids.set(m.id, i);
    const groups = m.pattern !== undefined ? namedGroups(m.pattern) : [];
    if (m.pattern !== undefined) {
      const re = compilePattern(m);
      if (typeof re === 'string') err(joinPath(mp, 'pattern'), re);
      const dup = groups.find((g, k) => groups.indexOf(g) !== k);
      if (dup) err(joinPath(mp, 'pattern'), `named group "${dup}" appears twice`);
    }
    const g = new Set(groups);
    if (m.ignoreCase !== undefined && m.pattern === undefined) err(joinPath(mp, 'ignoreCase'), 'only meaningful with "pattern"');
    if (m.key === undefined && !g.has('key')) err(mp, 'needs "key" (the field holding the object key) or a "pattern" with a (?<key>...) group');
    if (m.key !== undefined && g.has('key')) err(joinPath(mp, 'key'), 'the pattern already has a (?<key>...) group; give one or the other');
    const stateGroups = ['state', 'to'].filter((x) => g.has(x));
    if (stateGroups.length > 1) err(joinPath(mp, 'pattern'), 'has both (?<state>...) and (?<to>...) groups; use one');
    if (m.state === undefined && stateGroups.length === 0) err(mp, 'needs "state" (the state the event puts the object in) or a "pattern" with a (?<state>...) or (?<to>...) group');
    if (m.state !== undefined && stateGroups.length > 0) err(joinPath(mp, 'state'), `the pattern already has a (?<${stateGroups[0]}>...) group; give one or the other`);
    if (m.from !== undefined && g.has('from')) err(joinPath(mp, 'from'), 'the pattern already has a (?<from>...) group; give one or the other');
    needState(joinPath(mp, 'state'), m.state);
    needState(joinPath(mp, 'from'), m.from);
    attrs.set(m.id, new Set([...(m.fields ?? []), ...groups.filter((x) => !CORE_GROUPS.has(x))]));
  });
  const checkSelector = (s: SelectorJson, p: string): void => {
    if (s.mapping === undefined && s.state === undefined && s.from === undefined) err(p, 'needs at least one of "mapping", "state", "from"');
    if (s.mapping !== undefined && !ids.has(s.mapping)) err(joinPath(p, 'mapping'), `unknown mapping "${s.mapping}"; the model's mappings are ${[...ids.keys()].join(', ')}`);
    needState(joinPath(p, 'state'), s.state);
    needState(joinPath(p, 'from'), s.from);
    if (s.queue !== undefined && (s.mapping === undefined || ids.has(s.mapping))) {
      const pool = s.mapping !== undefined ? [attrs.get(s.mapping)] : [...attrs.values()];
      if (!pool.some((a) => a?.has(s.queue as string))) {
        const where = s.mapping !== undefined ? `mapping "${s.mapping}"` : 'any mapping';
        err(joinPath(p, 'queue'), `"${s.queue}" is not an attribute of ${where} (list it in "fields" or name a pattern group after it)`);
      }
    }
  };
  const uniqueNames = (list: readonly { name: string }[] | undefined, what: string): void => {
    const seen = new Map<string, number>();
    (list ?? []).forEach((x, i) => {
      const f = seen.get(x.name);
      if (f !== undefined) err(joinPath(joinPath(joinPath(path, what), i), 'name'), `duplicate ${what} name "${x.name}" (also ${what}[${f}])`);
      seen.set(x.name, i);
    });
  };
  uniqueNames(json.fifo, 'fifo');
  uniqueNames(json.batches, 'batches');
  (json.fifo ?? []).forEach((f, i) => {
    const fp = joinPath(joinPath(path, 'fifo'), i);
    checkSelector(f.enter, joinPath(fp, 'enter'));
    checkSelector(f.leave, joinPath(fp, 'leave'));
  });
  (json.batches ?? []).forEach((b, i) => checkSelector(b.select, joinPath(joinPath(joinPath(path, 'batches'), i), 'select')));
  (json.incomplete?.states ?? []).forEach((s, i) => needState(joinPath(joinPath(joinPath(path, 'incomplete'), 'states'), i), s));
  return errors;
}

function build(json: LifecycleModelJson, builtin: boolean): LifecycleModel {
  const states = [...json.states];
  const index = new Map(states.map((s, i) => [s, i]));
  const st = (s: string | undefined): number => (s === undefined ? NO_STATE : (index.get(s) as number));
  const n = states.length;
  const legal = new Uint8Array(n * n);
  for (const chain of json.transitions) for (const [a, b] of chainPairs(chain)) legal[st(a) * n + st(b)] = 1;
  const reuse = new Uint8Array(n * n);
  for (const chain of json.reuse ?? []) for (const [a, b] of chainPairs(chain)) reuse[st(a) * n + st(b)] = 1;
  const terminal = states.map((s) => (json.terminal ?? []).includes(s));
  const mappingIndex = new Map(json.mappings.map((m, i) => [m.id, i]));
  const mappings: CompiledMapping[] = json.mappings.map((m, i) => {
    const groups = m.pattern !== undefined ? namedGroups(m.pattern) : [];
    const keyFormat = m.keyFormat ?? 'raw';
    return {
      id: m.id,
      index: i,
      events: typeof m.event === 'string' ? [m.event] : [...m.event],
      // checkModel compiled it already: a string (an error) cannot reach here.
      pattern: m.pattern === undefined ? null : builtin ? builtinRegex(m.pattern, { ignoreCase: m.ignoreCase === true }) : (compilePattern(m) as UserRegex),
      keyField: groups.includes('key') ? null : (m.key as string),
      keyFormat,
      state: st(m.state),
      stateGroup: groups.includes('state') ? 'state' : groups.includes('to') ? 'to' : null,
      from: st(m.from),
      fromGroup: groups.includes('from'),
      fields: [...(m.fields ?? [])],
      attrGroups: groups.filter((g) => !CORE_GROUPS.has(g)),
      poison: new Set((json.poison ?? []).map((p) => normalizeKey(p, keyFormat))),
    };
  });
  const sel = (s: SelectorJson): CompiledSelector => ({
    mapping: s.mapping !== undefined ? (mappingIndex.get(s.mapping) as number) : -1,
    state: st(s.state),
    from: st(s.from),
    queue: s.queue ?? null,
  });
  return {
    name: json.name,
    description: json.description ?? '',
    states,
    stateByName: new Map(states.map((s, i) => [s.toLowerCase(), i])),
    terminal,
    legal,
    reuse,
    mappings,
    fifo: (json.fifo ?? []).map((f) => ({ name: f.name, enter: sel(f.enter), leave: sel(f.leave) })),
    batches: (json.batches ?? []).map((b) => ({ name: b.name, select: sel(b.select), by: b.by })),
    poison: [...(json.poison ?? [])],
    incomplete: json.incomplete ? { states: states.map((s) => (json.incomplete as { states: readonly string[] }).states.includes(s)), afterNs: json.incomplete.afterNs } : null,
    json,
  };
}
