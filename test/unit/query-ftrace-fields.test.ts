// core/query/ftrace-fields.ts reads one payload field without the full decode; it must give
// exactly what decodeEvent() gives: every field of every event of every ftrace fixture (and the
// seeds' excerpts), names no event has, and hostile key=value shapes written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { decodeEvent } from '../../src/core/formats/decode';
import { DECODE, ftraceFieldReader, keyValueOf } from '../../src/core/query/ftrace-fields';
import { parseKeyValues } from '../../src/core/formats/decoded';
import { readFtrace, readFtraceFile } from '../helpers/read';

const ABSENT = ['nosuchfield', 'le', 'en', 'skb', 'addr.x', 'prev', '_'];

test('every field of every ftrace fixture event reads as decodeEvent reads it', () => {
  let checked = 0;
  for (const f of readdirSync('test/fixtures/ftrace').filter((n) => n.endsWith('.trace'))) {
    const t = readFtraceFile(`test/fixtures/ftrace/${f}`);
    const read = ftraceFieldReader(t);
    assert.ok(read);
    for (let i = 0; i < t.length; i++) {
      const fields = decodeEvent(t, i).fields;
      for (const name of [...Object.keys(fields), ...ABSENT]) {
        const v = read(i, name);
        if (v === DECODE) continue;
        assert.equal(v, Object.hasOwn(fields, name) ? fields[name] : undefined, `${f} line ${t.line(i)} ${name}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 10000, `${checked}`);
});

test('hostile key=value lines: the same as parseKeyValues', () => {
  const lines = [
    'a=1 b=2',
    'a=1  b=  c=3',
    'a=b=c d=e',
    'x=1 x=2',
    'lead text a=1',
    'prev_comm=a b c prev_pid=1 prev_state=S ==> next_comm=x',
    'ba=1 a=2',
    'a=1\u00a0b=2',
    'a.b=1 $c=2 d$=3 9e=4',
    'name==x name=y',
    'msg=x y=z=w',
    'a=',
    '=a a=1',
  ];
  for (const line of lines) {
    const want = parseKeyValues(line);
    for (const name of [...Object.keys(want), 'a', 'b', 'x', 'y', 'name', 'e']) {
      if (name === 'text') continue;
      assert.equal(keyValueOf(line, name), Object.hasOwn(want, name) ? want[name] : undefined, `${JSON.stringify(line)} ${name}`);
    }
  }
});

test('probe lines and own-name shapes go to the full decode', () => {
  const t = readFtrace(`# tracer: nop
            a-1     [000] d..1.   1.000001: __xsk_rcv_zc_L7: (__xsk_rcv_zc+0x9b/0x250)addr=0x1 len=0x42
            a-1     [000] d..1.   1.000002: tracing_mark_write: len=5
`);
  const read = ftraceFieldReader(t);
  assert.ok(read);
  assert.equal(read(0, 'addr'), DECODE);
  assert.equal(read(1, 'len'), DECODE);
  assert.equal(decodeEvent(t, 0).fields.addr, '0x1');
});
