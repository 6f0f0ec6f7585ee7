// Unit tests of the trace.dat print fmt evaluator (src/core/formats/trace-dat/print.ts): C
// expressions over REC->field as the kernel's TP_printk writes them (precedence, casts, ?:,
// the __print_* helpers, printf conversions), and what it cannot render: the reason is kept and
// the record shows its fields instead, including formats made to hit JavaScript's own limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DatContext } from '../../src/core/formats/trace-dat/context';
import { Endian } from '../../src/core/formats/trace-dat/bytes';
import { DEFAULT_COMMON, parseEventFormat, type EventFormat } from '../../src/core/formats/trace-dat/event-format';
import { printFmtProblem, renderEvent } from '../../src/core/formats/trace-dat/print';

const ctx = new DatContext(new Endian(true), 8, 8, DEFAULT_COMMON);

/** An event with the common fields and `a` (s32 at 8), `b` (u32 at 12), `s` (char[8] at 16). */
function event(printFmt: string): EventFormat {
  const text = [
    'name: test_event',
    'ID: 42',
    'format:',
    '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;',
    '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;',
    '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;',
    '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;',
    '',
    '\tfield:int a;\toffset:8;\tsize:4;\tsigned:1;',
    '\tfield:unsigned int b;\toffset:12;\tsize:4;\tsigned:0;',
    '\tfield:char s[8];\toffset:16;\tsize:8;\tsigned:0;',
    '',
    `print fmt: ${printFmt}`,
  ].join('\n');
  const r = parseEventFormat('test', text);
  assert.ok(r.ok);
  return r.format;
}

/** A record: a = -5, b = 0x30 (48), s = "eth0". */
function record(): Uint8Array {
  const data = new Uint8Array(24);
  const v = new DataView(data.buffer);
  v.setUint16(0, 42, true);
  v.setInt32(4, 1234, true);
  v.setInt32(8, -5, true);
  v.setUint32(12, 0x30, true);
  data.set(new TextEncoder().encode('eth0'), 16);
  return data;
}

const render = (fmt: string): string => renderEvent(ctx, event(fmt), record());

test('expressions: precedence, unary operators, casts, ?: and comparisons over REC->field', () => {
  assert.equal(render('"%d", REC->a + REC->b * 2'), String(-5 + 48 * 2));
  assert.equal(render('"%d", (REC->a + REC->b) * 2'), String((-5 + 48) * 2));
  assert.equal(render('"%d %d %d", -REC->a, !REC->b, ~REC->b'), '5 0 -49');
  assert.equal(render('"%u", (unsigned char)REC->a'), '251');
  assert.equal(render('"%d", (REC)->b >> 4 | 1 << 8'), String((48 >> 4) | (1 << 8)));
  assert.equal(render('"%s", REC->a < 0 ? "neg" : "pos"'), 'neg');
  assert.equal(render('"%d", REC->b == 48 && REC->a != 0'), '1');
  // C's integer division truncates; division by zero gives 0 rather than an error.
  assert.equal(render('"%d %d", REC->b / 5, REC->b / (REC->a + 5)'), '9 0');
  assert.equal(render('"%d", 010 + 0x10'), String(8 + 16));
  assert.equal(render('"%lu", sizeof(long)'), '8');
});

test('helpers and conversions: __print_symbolic, __print_flags, __get_str, widths and %x flags', () => {
  assert.equal(render('"%s", __print_symbolic(REC->b, { 1, "ONE" }, { 48, "FORTY_EIGHT" })'), 'FORTY_EIGHT');
  assert.equal(render('"%s", __print_symbolic(REC->b, { 1, "ONE" })'), '0x30');
  assert.equal(render('"%s", __print_flags(REC->b, "|", { 0x10, "A" }, { 0x20, "B" })'), 'A|B');
  assert.equal(render('"%s", __print_flags(REC->b | 1, "|", { 0x10, "A" })'), 'A|0x21');
  assert.equal(render('"dev=%s", __get_str(s)'), 'dev=eth0');
  assert.equal(render('"[%5d] [%-5d] [%05d] [%#x] [%.3s]", REC->a, REC->a, REC->a, REC->b, REC->s'), '[   -5] [-5   ] [-0005] [0x30] [eth]');
  assert.equal(render('"%*d", 4, REC->b'), '  48');
  assert.equal(render('"%c%%", 65'), 'A%');
});

test('what it cannot render keeps the reason, and the record shows its fields', () => {
  const fields = 'a=-5 b=48 s=eth0';
  const cases: [string, RegExp][] = [
    ['"%d", REC->a.x', /member access outside REC/],
    ['"%d", some_helper(REC->a)', /function some_helper/],
    ['"%d %d", REC->a', /fewer arguments than conversions/],
    ['"%d", REC->nope', /no field nope/],
    ['"%d", 09', /bad octal literal 09/],
    ['"unterminated', /unterminated string/],
    ['REC->a', /does not start with a string/],
  ];
  for (const [fmt, why] of cases) {
    const f = event(fmt);
    const problem = printFmtProblem(f);
    // Some are only found when a record is rendered (the field lookup, the helper call).
    if (problem !== null) assert.match(problem, why, fmt);
    assert.equal(renderEvent(ctx, f, record()), fields, fmt);
  }
  assert.equal(printFmtProblem(event('"%d", REC->a')), null);
});

test('formats made to hit JavaScript limits (call stack, string length) fall back to the fields', () => {
  const fields = 'a=-5 b=48 s=eth0';
  const deep = event(`"%d", ${'('.repeat(50_000)}REC->a${')'.repeat(50_000)}`);
  assert.match(printFmtProblem(deep) ?? '', /nested deeper than/);
  assert.equal(renderEvent(ctx, deep, record()), fields);
  const chain = event(`"%d", REC->a${' + 1'.repeat(50_000)}`);
  assert.match(printFmtProblem(chain) ?? '', /nested deeper than/);
  assert.equal(renderEvent(ctx, chain, record()), fields);
  // A width taken from the record (here 2^31 - 1) or written in the format.
  assert.equal(render('"%*d", 2147483647, REC->a'), fields);
  assert.equal(render('"%999999999d", REC->a'), fields);
  assert.equal(render('"%.999999999d", REC->a'), fields);
});
