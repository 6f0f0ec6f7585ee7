// The filter expression language (src/core/query): the grammar, where errors point, the limits,
// and the meaning of each operator and literal on small traces written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpr, QueryError, MAX_EXPR_DEPTH, MAX_EXPR_LENGTH } from '../../src/core/query/parse';
import { compileQuery } from '../../src/core/query/compile';
import { globMatcher } from '../../src/core/query/glob';
import { addressValue, timeValue } from '../../src/core/query/literal';
import { MAX_FILTER_EXPR } from '../../src/protocol/messages';
import { isEventFilter } from '../../src/protocol/guards';
import { readFtrace } from '../helpers/read';
import type { Trace } from '../../src/core/trace/trace';

function errorOf(text: string): string {
  try {
    parseExpr(text);
  } catch (err) {
    assert.ok(err instanceof QueryError);
    return err.message;
  }
  assert.fail(`"${text}" parsed`);
}

test('errors name the column where the parser stopped', () => {
  assert.equal(errorOf('len > '), 'expected a value at column 7');
  assert.equal(errorOf('len >'), 'expected a value at column 6');
  assert.equal(errorOf('(len > 1'), "expected ')' at column 9");
  assert.equal(errorOf('len > 1 &&'), 'expected a field name at column 11');
  assert.equal(errorOf('len > 1 len'), 'expected && or || or the end, found "l" at column 9');
  assert.equal(errorOf('len === 3'), 'expected a value, found "=" at column 7');
  assert.equal(errorOf('5 == len'), 'expected a field name, found "5" at column 1');
  assert.equal(errorOf('comm == "ab'), 'unterminated string (opened at column 9) at column 12');
  assert.equal(errorOf('a == 1 || (b == 2 && )'), 'expected a field name, found ")" at column 22');
  assert.equal(errorOf('comm == "\\xZ1"'), 'expected two hex digits after \\x at column 12');
});

test('limits: length and nesting depth are bounded (no stack overflow on hostile input)', () => {
  assert.match(errorOf('x'.repeat(MAX_EXPR_LENGTH + 1)), /longer than 4096/);
  assert.ok(parseExpr(`${'('.repeat(MAX_EXPR_DEPTH - 1)}a${')'.repeat(MAX_EXPR_DEPTH - 1)}`));
  assert.match(errorOf(`${'('.repeat(MAX_EXPR_DEPTH)}a${')'.repeat(MAX_EXPR_DEPTH)}`), /nested deeper than 64 levels at column 65/);
  assert.match(errorOf('!'.repeat(1000) + 'a'), /nested deeper/);
  // The wire limit is the parser's.
  assert.equal(MAX_FILTER_EXPR, MAX_EXPR_LENGTH);
  assert.ok(isEventFilter({ expr: 'len > 1' }));
  assert.ok(!isEventFilter({ expr: 'x'.repeat(MAX_FILTER_EXPR + 1) }));
  assert.ok(!isEventFilter({ expr: 3 }));
});

test('grammar: precedence (not > and > or), word operators, parentheses', () => {
  assert.deepEqual(parseExpr('a || b && !c'), {
    kind: 'or',
    left: { kind: 'exists', field: { name: 'a', column: 1 } },
    right: { kind: 'and', left: { kind: 'exists', field: { name: 'b', column: 6 } }, right: { kind: 'not', operand: { kind: 'exists', field: { name: 'c', column: 12 } } } },
  });
  assert.deepEqual(parseExpr('a or b and not c'), parseExpr('a || b && !c') && JSON.parse(JSON.stringify(parseExpr('a or b and not c'))));
  const e = parseExpr('tcp.port eq 80');
  assert.ok(e && e.kind === 'cmp' && e.op === '==' && e.value.text === '80');
  assert.equal(parseExpr('   '), null);
  const q = parseExpr("comm == 'a\"b' && dev == \"x\\\"y\"");
  assert.ok(q && q.kind === 'and' && q.left.kind === 'cmp' && q.left.value.text === 'a"b' && q.right.kind === 'cmp' && q.right.value.text === 'x"y');
});

test('glob: ftrace meaning of * ? [set] [!set], linear on a hostile pattern', () => {
  const g = (p: string, s: string): boolean => globMatcher(p)(s);
  assert.ok(g('iperf*', 'iperf2'));
  assert.ok(!g('iperf*', 'xiperf'));
  assert.ok(g('*rcv*', '__xsk_rcv_zc_L7'));
  assert.ok(g('*_L7', '__xsk_rcv_zc_L7'));
  assert.ok(g('net_dev_?ueue', 'net_dev_queue'));
  assert.ok(g('cpu[0-3]', 'cpu2') && !g('cpu[0-3]', 'cpu4') && g('cpu[!0-3]', 'cpu4'));
  assert.ok(g('a*b*c', 'axxbyyc') && !g('a*b*c', 'axxbyy'));
  assert.ok(g('[', '[') && !g('[a', '['));
  assert.ok(g('exact', 'exact') && !g('exact', 'exactly'));
  // a*a*a*…b against aaaa…: the greedy walk backtracks only to the last star.
  assert.ok(!g(`${'a*'.repeat(200)}b`, 'a'.repeat(5000)));
});

test('literals: times exact to the ns, CIDR blocks, prefix errors', () => {
  assert.deepEqual(timeValue('3320.148242'), { kind: 'time', ns: 3320148242000n, unitGiven: false });
  assert.equal(timeValue('12us')?.ns, 12000n);
  assert.equal(timeValue('1.5ms')?.ns, 1500000n);
  assert.equal(timeValue('7ns')?.ns, 7n);
  assert.equal(timeValue('abc'), null);
  assert.deepEqual(addressValue('10.78.3.4/16'), { kind: 'ipv4', net: (10 * 256 + 78) * 65536, prefix: 16 });
  assert.deepEqual(addressValue('10.78.0.1/33'), { error: 'a prefix length 0-32 after /' });
  const v6 = addressValue('fe80::1/10');
  assert.ok(v6 && 'kind' in v6 && v6.kind === 'ipv6' && v6.net === 0xfe80n << 112n);
  assert.equal(addressValue('66:34:87:fe:31:1c'), null);
});

const TRACE = `# tracer: nop
#
            ping-22327   [000] b....  3320.148242: net_dev_queue: dev=ktllc-a skbaddr=00000000e6f4dcd9 len=42
          <idle>-0       [001] d.h1.  3320.148298: sched_wakeup: comm=ping pid=22327 prio=120 target_cpu=000
          <idle>-0       [001] ..s1.  3320.148302: netif_receive_skb: dev=ktllc-b skbaddr=00000000e6f4dcd9 len=28
     iperf2-1217    [002] d.Z1.  3320.148400: __xsk_rcv_zc_L7: (__xsk_rcv_zc+0x9b/0x250) addr=0x1000900 len=0x42 xs=0xffff90fd32693c00
            ping-22327   [000] b....  3320.149000: net_dev_xmit: dev=ktllc-a skbaddr=00000000e6f4dcd9 len=98 rc=0
            ping-22327   [000] b....  3320.149001: tracing_mark_write: ktl <script>alert(1)</script> len=100
`;

function lines(t: Trace, expr: string): number[] {
  const p = compileQuery(t, expr);
  assert.ok(p, expr);
  const out: number[] = [];
  for (let i = 0; i < t.length; i++) if (p(i)) out.push(t.line(i));
  return out;
}

test('evaluation: common fields, payload fields, hex, ts units, field.NAME, absent fields', () => {
  const t = readFtrace(TRACE);
  assert.deepEqual(lines(t, 'cpu == 0'), [3, 7, 8]);
  assert.deepEqual(lines(t, 'pid == 0'), [4, 5]);
  assert.deepEqual(lines(t, 'field.pid == 22327'), [4]);
  assert.deepEqual(lines(t, 'len > 40'), [3, 6, 7]); // 0x42 is 66; the marker's text has no fields
  assert.deepEqual(lines(t, 'len == 66'), [6]);
  assert.deepEqual(lines(t, 'skbaddr == 0xe6f4dcd9'), [3, 5, 7]); // %p without 0x read as hex by a hex literal
  assert.deepEqual(lines(t, 'skbaddr == "00000000e6f4dcd9" && !(dev == ktllc-b)'), [3, 7]);
  assert.deepEqual(lines(t, 'xs == 0xffff90fd32693c00'), [6]); // above 2^53: compared exactly
  assert.deepEqual(lines(t, 'xs == 0xffff90fd32693c01'), []);
  assert.deepEqual(lines(t, 'rc != 1'), [7]); // != needs the field: events without rc drop
  assert.deepEqual(lines(t, 'rc'), [7]);
  assert.deepEqual(lines(t, 'ts >= 3320.148302 && ts < 3320149ms'), [5, 6]);
  assert.deepEqual(lines(t, 'ts > 3320148300us'), [5, 6, 7, 8]);
  assert.deepEqual(lines(t, 'comm ~ "<*>" or comm matches "^ip"'), [4, 5, 6]);
  assert.deepEqual(lines(t, 'event ~ "net_dev_*" and not event == net_dev_xmit'), [3]);
  assert.deepEqual(lines(t, 'event matches "(a+)+$"'), []);
  assert.deepEqual(lines(t, 'cpu >= 1 && cpu <= 0x1'), [4, 5]);
});

test('compile errors point at the name, operator or value', () => {
  const t = readFtrace(TRACE);
  const err = (e: string): string => {
    try {
      compileQuery(t, e);
    } catch (x) {
      assert.ok(x instanceof QueryError);
      return x.message;
    }
    assert.fail(e);
  };
  assert.equal(err('ts > abc'), 'expected a time (seconds, or a number with ms, us or ns) at column 6');
  assert.equal(err('ts ~ "1*"'), 'ts compares with == != < <= > >= at column 4');
  assert.equal(err('cpu && len > 1'), 'cpu needs a comparison (e.g. cpu == …) at column 1');
  assert.match(err('comm matches "(a"'), /^invalid regular expression .* at column 14$/);
  assert.equal(err('addr < 10.0.0.0/8'), 'addresses compare with == and != only at column 6');
  assert.equal(err('addr == 10.0.0.0/40'), 'expected a prefix length 0-32 after / at column 9');
  assert.match(err('comm matches "(a)\\\\1"'), /invalid regular expression/); // backreferences are not RE2
});

test('named filters in kernel-trace.json: read, and a broken expression named by path and column', async () => {
  const { parseNamedFilters } = await import('../../src/core/query/named-filters');
  const { ModelError } = await import('../../src/core/config/kernel-trace-json');
  assert.deepEqual(parseNamedFilters(JSON.stringify({ filters: [{ name: 'pings', expr: 'icmp.type == 8', description: 'echo requests' }, { name: 'big', expr: 'len > 1500' }] })), [
    { name: 'pings', expr: 'icmp.type == 8', description: 'echo requests' },
    { name: 'big', expr: 'len > 1500' },
  ]);
  assert.deepEqual(parseNamedFilters('{}'), []);
  assert.throws(
    () => parseNamedFilters(JSON.stringify({ filters: [{ name: 'ok', expr: 'a' }, { name: 'bad', expr: 'len > ' }] })),
    (e: unknown) => e instanceof ModelError && /filters\[1\]\.expr/.test(e.message) && /expected a value at column 7/.test(e.message),
  );
  assert.throws(() => parseNamedFilters(JSON.stringify({ filters: [{ name: 'x' }] })), ModelError);
  assert.throws(() => parseNamedFilters(JSON.stringify({ filters: [{ name: 'x', expr: 'a', run: 'rm -rf /' }] })), ModelError);
});
