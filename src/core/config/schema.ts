/**
 * Validation of `.vscode/kernel-trace.json` against schemas/kernel-trace.schema.json — the
 * very file VS Code validates the editor buffer with (package.json `jsonValidation`), so the
 * editor and `ktl` can never disagree about what is valid.
 *
 * A small interpreter of the JSON Schema (draft-07) keywords that schema uses, instead of a
 * dependency: `$ref` (to `#/definitions/...`), `type`, `properties`, `required`,
 * `additionalProperties`, `items`, `minItems`, `maxItems`, `uniqueItems`, `enum`, `pattern`,
 * `minLength`, `minimum`, `anyOf`; annotations (`title`, `description`, `$schema`, `$id`) are
 * ignored. `SUPPORTED_KEYWORDS` lists them and a unit test keeps the schema inside that list.
 *
 * Errors name the JSON path (`lifecycles[0].mappings[2].event`) and what was expected there.
 */
import schemaJson from '../../../schemas/kernel-trace.schema.json';

export interface SchemaError {
  /** JSON path of the offending value, e.g. `lifecycles[0].mappings[2].event`, or `(top level)`. */
  readonly path: string;
  readonly message: string;
}

type Schema = { readonly [keyword: string]: unknown };

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  '$ref',
  'title',
  'description',
  'definitions',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'enum',
  'pattern',
  'minLength',
  'minimum',
  'anyOf',
]);

export const KERNEL_TRACE_SCHEMA: Schema = schemaJson as Schema;

/** Validates `value` against the kernel-trace.json schema; [] when valid. */
export function validateKernelTraceConfig(value: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  validate(KERNEL_TRACE_SCHEMA, value, '', errors);
  return errors;
}

/** Validates against one of the schema's definitions (e.g. `model`), at `path`. */
export function validateDefinition(name: string, value: unknown, path = ''): SchemaError[] {
  const errors: SchemaError[] = [];
  validate(resolve(`#/definitions/${name}`), value, path, errors);
  return errors;
}

function resolve(ref: string): Schema {
  const m = /^#\/definitions\/([^/]+)$/.exec(ref);
  const defs = KERNEL_TRACE_SCHEMA.definitions as Record<string, Schema> | undefined;
  const target = m ? defs?.[m[1] as string] : undefined;
  if (!target) throw new Error(`kernel-trace schema: unresolvable $ref ${ref}`);
  return target;
}

export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? safe : /^[A-Za-z_$]/.test(safe) ? `${path}.${safe}` : `${path}[${safe}]`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function matchesType(t: string, v: unknown): boolean {
  switch (t) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
    default:
      throw new Error(`kernel-trace schema: unsupported type ${t}`);
  }
}

const ARTICLE: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** A short phrase saying what `s` accepts, for "expected ..." messages. */
function describe(s: Schema): string {
  if (typeof s.$ref === 'string') return describe({ ...resolve(s.$ref), ...s, $ref: undefined });
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (Array.isArray(s.anyOf)) return (s.anyOf as Schema[]).map(describe).join(' or ');
  const t = s.type as string | undefined;
  if (t === 'array' && s.items) return `an array of ${plural(describe(s.items as Schema))}`;
  if (t === 'string' && typeof s.pattern === 'string') return `a string matching /${s.pattern}/`;
  if (t === 'string' && typeof s.minLength === 'number' && s.minLength > 0) return 'a non-empty string';
  if (t === 'integer' && typeof s.minimum === 'number') return `an integer >= ${s.minimum}`;
  return t ? (ARTICLE[t] ?? t) : 'a value';
}

/** `a non-empty string` -> `non-empty strings`. */
function plural(phrase: string): string {
  return phrase.replace(/^an? /, '').replace(/\b(string|object|array|integer|number|value)\b/, '$1s');
}

function validate(s: Schema, v: unknown, path: string, errors: SchemaError[]): void {
  for (const k of Object.keys(s)) if (!SUPPORTED_KEYWORDS.has(k)) throw new Error(`kernel-trace schema: unsupported keyword ${k} at ${path || '(root)'}`);
  if (typeof s.$ref === 'string') validate(resolve(s.$ref), v, path, errors);
  const at = path || '(top level)';
  if (Array.isArray(s.anyOf)) {
    const branches = s.anyOf as Schema[];
    const results = branches.map((b) => {
      const e: SchemaError[] = [];
      validate(b, v, path, e);
      return e;
    });
    if (results.some((r) => r.length === 0)) return;
    // Report the branch whose type fits (its errors are the useful ones); otherwise say what fits.
    const typed = branches.findIndex((b) => typeof b.type === 'string' && matchesType(b.type, v));
    if (typed >= 0) errors.push(...(results[typed] as SchemaError[]));
    else errors.push({ path: at, message: `expected ${describe(s)}, got ${typeName(v)}` });
    return;
  }
  if (typeof s.type === 'string' && !matchesType(s.type, v)) {
    errors.push({ path: at, message: `expected ${describe(s)}, got ${typeName(v)}` });
    return;
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) {
    errors.push({ path: at, message: `expected ${describe(s)}, got ${typeName(v)}` });
    return;
  }
  if (typeof v === 'string') {
    if (typeof s.minLength === 'number' && v.length < s.minLength) errors.push({ path: at, message: `expected ${describe(s)}, got an empty string` });
    else if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) errors.push({ path: at, message: `expected ${describe(s)}, got ${typeName(v)}` });
  }
  if (typeof v === 'number' && typeof s.minimum === 'number' && v < s.minimum) errors.push({ path: at, message: `expected ${describe(s)}, got ${v}` });
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems) errors.push({ path: at, message: `expected at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}, got ${v.length}` });
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) errors.push({ path: at, message: `expected at most ${s.maxItems} items, got ${v.length}` });
    if (s.uniqueItems === true) {
      const seen = new Map<string, number>();
      v.forEach((item, i) => {
        const k = JSON.stringify(item);
        const first = seen.get(k);
        if (first !== undefined) errors.push({ path: joinPath(path, i), message: `duplicate of item ${first} (${typeName(item)}); items must be unique` });
        else seen.set(k, i);
      });
    }
    if (s.items) v.forEach((item, i) => validate(s.items as Schema, item, joinPath(path, i), errors));
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const obj = v as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const r of (s.required ?? []) as string[]) {
      if (!(r in obj)) errors.push({ path: at, message: `missing required property "${r}" (${describe(props[r] ?? {})})` });
    }
    for (const [k, item] of Object.entries(obj)) {
      const p = props[k];
      if (p) validate(p, item, joinPath(path, k), errors);
      else if (s.additionalProperties === false) {
        const known = Object.keys(props);
        const near = known.find((n) => n.toLowerCase() === k.toLowerCase() || editDistance(n, k) <= 2);
        errors.push({
          path: joinPath(path, k),
          message: `unknown property "${k}"${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${known.join(', ')}`,
        });
      } else if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null) {
        validate(s.additionalProperties as Schema, item, joinPath(path, k), errors);
      }
    }
  }
}

/** Levenshtein distance, for "did you mean" on short property names. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] as number;
      prev[j] = Math.min(up + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] as number;
}
