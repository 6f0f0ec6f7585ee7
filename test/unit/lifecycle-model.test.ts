// Lifecycle models: validation against schemas/kernel-trace.schema.json and the checks a schema
// cannot express, with the exact error messages (path + what was expected); key normalization;
// the single-field fast path agreeing with the full payload decoder on every real fixture event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KERNEL_TRACE_SCHEMA, SUPPORTED_KEYWORDS, validateKernelTraceConfig } from '../../src/core/config/schema';
import { compileModel, namedGroups, normalizeKey, parseKernelTraceConfig, type LifecycleModelJson } from '../../src/core/analysis/lifecycle/model';
import { ModelError } from '../../src/core/config/kernel-trace-json';
import { BUILTIN_MODEL_JSON, builtinModel, builtinModelNames } from '../../src/core/analysis/lifecycle/models/index';
import { EventFields, fieldOf } from '../../src/core/analysis/lifecycle/fields';
import { decodeEvent } from '../../src/core/formats/decode';
import { readFtraceFile } from '../helpers/read';
import { runKtlFailing } from '../helpers/lifecycle-golden';

function problems(text: string): string[] {
  try {
    parseKernelTraceConfig(text, 'test.json');
  } catch (err) {
    assert.ok(err instanceof ModelError, String(err));
    return err.errors.map((e) => `${e.path}: ${e.message}`);
  }
  return [];
}

const minimal = (over: Partial<LifecycleModelJson> = {}): string =>
  JSON.stringify({ lifecycles: [{ name: 'm', states: ['A', 'B'], mappings: [{ id: 'x', event: 'e', key: 'k', state: 'A' }], transitions: ['A -> B'], ...over }] });

test('the schema uses only keywords the validator implements (and is valid JSON with resolvable refs)', () => {
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (typeof node !== 'object' || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      const inMap = /\.(properties|definitions)$/.test(path);
      if (!inMap) assert.ok(SUPPORTED_KEYWORDS.has(k), `unsupported keyword ${k} at ${path}`);
      walk(v, `${path}.${k}`);
    }
  };
  walk(KERNEL_TRACE_SCHEMA, '$');
  assert.deepEqual(validateKernelTraceConfig({ lifecycles: BUILTIN_MODEL_JSON }), []);
});

test('built-in models compile and are the ones ktl offers', () => {
  assert.deepEqual(builtinModelNames(), ['af-xdp', 'skb']);
  for (const name of builtinModelNames()) assert.equal(builtinModel(name)?.name, name);
  assert.equal(builtinModel('nope'), undefined);
});

test('a minimal model is valid', () => {
  assert.deepEqual(problems(minimal()), []);
});

test('shape errors: path and what was expected', () => {
  // "lifecycles" is optional (a file may hold only reader options), so a misspelt key is what is reported.
  assert.deepEqual(problems('{"lifecycle": []}'), ['lifecycle: unknown property "lifecycle" (did you mean "lifecycles"?); expected one of $schema, lifecycles, printf, filters']);
  assert.deepEqual(problems('[]'), ['(top level): expected an object, got an array']);
  assert.deepEqual(problems('{"lifecycles": []}'), ['lifecycles: expected at least 1 item, got 0']);
  assert.deepEqual(problems(minimal({ states: 'A' as unknown as string[] })), ['lifecycles[0].states: expected an array of strings matching /^[A-Za-z_][A-Za-z0-9_]*$/, got the string "A"']);
  assert.deepEqual(problems(minimal({ states: ['A', 'A'] })), ['lifecycles[0].states[1]: duplicate of item 0 (the string "A"); items must be unique']);
  assert.deepEqual(problems(minimal({ states: ['A', '1B'] })), ['lifecycles[0].states[1]: expected a string matching /^[A-Za-z_][A-Za-z0-9_]*$/, got the string "1B"']);
});

test('invalid.json: every shape problem at once', () => {
  assert.deepEqual(problems(readFileSync('test/fixtures/models/invalid.json', 'utf8')), [
    'lifecycles[0].name: expected a string matching /^[A-Za-z0-9][A-Za-z0-9._-]*$/, got the string "broken shape"',
    'lifecycles[0].mapings: unknown property "mapings" (did you mean "mappings"?); expected one of name, description, states, terminal, mappings, transitions, reuse, fifo, poison, batches, incomplete',
    'lifecycles[0].mappings[0].event: expected a non-empty string or an array of non-empty strings, got number 5',
    'lifecycles[0].mappings[1].keyFormat: expected one of "raw", "hex", "decimal", got the string "octal"',
    'lifecycles[0].transitions[1]: expected a string matching /^\\s*[A-Za-z_][A-Za-z0-9_]*(\\s*->\\s*[A-Za-z_][A-Za-z0-9_]*)+\\s*$/, got the string "FILL"',
    'lifecycles[0].incomplete.afterNs: expected an integer >= 1, got 0',
  ]);
});

test('invalid-semantics.json: what a schema cannot say', () => {
  const got = problems(readFileSync('test/fixtures/models/invalid-semantics.json', 'utf8'));
  assert.deepEqual(got, [
    'lifecycles[0].states[2]: "rx" differs from "RX" only in case; captured state text is matched case-insensitively',
    'lifecycles[0].transitions[0]: unknown state "DONE"; the model\'s states are FILL, RX, rx, TX',
    'lifecycles[0].reuse[0]: FILL -> RX is also a legal transition; it cannot be both',
    'lifecycles[0].mappings[0].from: unknown state "FILLED"; the model\'s states are FILL, RX, rx, TX',
    'lifecycles[0].mappings[1].id: duplicate mapping id "kernel" (also mappings[0])',
    'lifecycles[0].mappings[1].pattern: not a regular expression RE2 can run: missing closing ): `(?<key>0x[0-9a-f]+ (?<state>\\w+)`',
    'lifecycles[0].mappings[2].state: the pattern already has a (?<to>...) group; give one or the other',
    'lifecycles[0].mappings[3]: needs "key" (the field holding the object key) or a "pattern" with a (?<key>...) group',
    'lifecycles[0].fifo[1].name: duplicate fifo name "ring" (also fifo[0])',
    'lifecycles[0].fifo[0].enter.mapping: unknown mapping "nope"; the model\'s mappings are kernel, app, raw',
    'lifecycles[0].fifo[0].leave.queue: "xs" is not an attribute of mapping "app" (list it in "fields" or name a pattern group after it)',
    'lifecycles[0].fifo[1].leave: needs at least one of "mapping", "state", "from"',
  ]);
});

test('more semantic errors: state source, batches, duplicate model names, invalid JSON', () => {
  assert.deepEqual(problems(minimal({ mappings: [{ id: 'x', event: 'e', key: 'k' }] })), ['lifecycles[0].mappings[0]: needs "state" (the state the event puts the object in) or a "pattern" with a (?<state>...) or (?<to>...) group']);
  assert.deepEqual(problems(minimal({ mappings: [{ id: 'x', event: 'e', pattern: '(?<key>\\w+) (?<state>\\w+) (?<to>\\w+)' }] })), ['lifecycles[0].mappings[0].pattern: has both (?<state>...) and (?<to>...) groups; use one']);
  assert.deepEqual(problems(minimal({ mappings: [{ id: 'x', event: 'e', pattern: '(?<key>\\w+)', key: 'k', state: 'A' }] })), ['lifecycles[0].mappings[0].key: the pattern already has a (?<key>...) group; give one or the other']);
  assert.deepEqual(problems(minimal({ batches: [{ name: 'b', select: { mapping: 'x', queue: 'q' }, by: 'cpu' }] })), ['lifecycles[0].batches[0].select.queue: "q" is not an attribute of mapping "x" (list it in "fields" or name a pattern group after it)']);
  assert.deepEqual(problems(minimal({ batches: [{ name: 'b', select: { state: 'A' }, by: 'core' as 'cpu' }] })), ['lifecycles[0].batches[0].by: expected one of "task", "cpu", got the string "core"']);
  assert.deepEqual(problems(minimal({ terminal: ['Z'], incomplete: { states: ['Q'], afterNs: 5 } })), [
    'lifecycles[0].terminal[0]: unknown state "Z"; the model\'s states are A, B',
    'lifecycles[0].incomplete.states[0]: unknown state "Q"; the model\'s states are A, B',
  ]);
  const one = JSON.parse(minimal()).lifecycles[0];
  assert.deepEqual(problems(JSON.stringify({ lifecycles: [one, one] })), ['lifecycles[1].name: duplicate model name "m" (also lifecycles[0])']);
  const bad = problems('{ "lifecycles": [ }');
  assert.equal(bad.length, 1);
  assert.match(bad[0] ?? '', /^\(top level\): not valid JSON: /);
});

test('compileModel throws ModelError naming the model', () => {
  assert.throws(
    () => compileModel({ name: 'x', states: ['A'], mappings: [{ id: 'm', event: 'e', key: 'k', state: 'B' }], transitions: [] }),
    (err: unknown) => err instanceof ModelError && /^x: 1 problem:\n {2}model\.mappings\[0\]\.state: unknown state "B"/.test(err.message),
  );
});

test('ktl lifecycle: an invalid model file is a usage error (exit 1) listing every problem', () => {
  const r = runKtlFailing(['lifecycle', 'test/fixtures/ftrace/seed004-fifo-break.trace', '--model', 'test/fixtures/models/invalid.json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^ktl: test\/fixtures\/models\/invalid\.json: 6 problems:\n {2}lifecycles\[0\]\.name: /);
  const u = runKtlFailing(['lifecycle', 'test/fixtures/ftrace/seed004-fifo-break.trace', '--model', 'no-such-model']);
  assert.equal(u.status, 1);
  assert.match(u.stderr, /--model no-such-model: not a built-in model \(af-xdp, skb\) and no such file/);
});

test('normalizeKey: hex spellings compare equal, decimal becomes hex, the rest stays', () => {
  assert.equal(normalizeKey('0x16CE900', 'hex'), '0x16ce900');
  assert.equal(normalizeKey('16ce900', 'hex'), '0x16ce900');
  assert.equal(normalizeKey('0x00016ce900', 'hex'), '0x16ce900');
  assert.equal(normalizeKey('0x0', 'hex'), '0x0');
  assert.equal(normalizeKey('0xDEADBEEFDEADBEEF', 'hex'), '0xdeadbeefdeadbeef');
  assert.equal(normalizeKey('not-hex', 'hex'), 'not-hex');
  assert.equal(normalizeKey('69837056', 'decimal'), '0x429a100', "the seed's desc_addr 69837056");
  assert.equal(normalizeKey('0x429A100', 'decimal'), '0x429a100');
  assert.equal(normalizeKey('16ce900', 'decimal'), '16ce900');
  assert.equal(normalizeKey('00000000e52a997e', 'raw'), '00000000e52a997e');
});

test('namedGroups: named groups, not lookbehinds or escaped parentheses', () => {
  assert.deepEqual(namedGroups('(?<key>\\w+) (?<=x)(?<!y) \\(?<no>x) (?<state>A|B)'), ['key', 'state']);
});

test('fieldOf agrees with the payload decoder on every field of every key=value event in the real fixtures', () => {
  let checked = 0;
  for (const f of readdirSync('test/fixtures/ftrace').filter((x) => x.endsWith('.trace'))) {
    const t = readFtraceFile(join('test/fixtures/ftrace', f));
    const ef = new EventFields(t);
    for (let i = 0; i < t.length; i++) {
      if (!ef.isKeyValue(i)) continue;
      const text = ef.text(i);
      const fields = decodeEvent(t, i).fields;
      for (const [k, v] of Object.entries(fields)) {
        if (k === 'text') continue;
        assert.equal(fieldOf(text, k), v, `${f} line ${t.line(i)} field ${k}`);
        assert.equal(ef.field(i, k, text), v);
        checked++;
      }
      assert.equal(fieldOf(text, 'no_such_field'), undefined);
    }
  }
  assert.ok(checked > 50_000, `${checked} fields checked`);
});
