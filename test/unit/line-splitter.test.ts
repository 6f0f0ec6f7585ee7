import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/core/formats/line-splitter';

function split(input: string, chunk: number, max?: number) {
  const lines: { text: string; offset: number; lineNo: number }[] = [];
  const overlong: { lineNo: number; offset: number }[] = [];
  const s = new LineSplitter(
    {
      line: (buf, a, b, offset, lineNo) => lines.push({ text: new TextDecoder().decode(buf.subarray(a, b)), offset, lineNo }),
      overlong: (lineNo, offset) => overlong.push({ lineNo, offset }),
    },
    max,
  );
  const bytes = new TextEncoder().encode(input);
  for (let i = 0; i < bytes.length; i += chunk) s.push(bytes.slice(i, i + chunk));
  s.finish();
  return { lines, overlong, endedWithoutNewline: s.endedWithoutNewline };
}

test('lines, offsets and numbers are the same for every chunk size', () => {
  const input = 'ab\r\n\ncdef\nlast';
  const expected = [
    { text: 'ab', offset: 0, lineNo: 1 },
    { text: '', offset: 4, lineNo: 2 },
    { text: 'cdef', offset: 5, lineNo: 3 },
    { text: 'last', offset: 10, lineNo: 4 },
  ];
  for (const chunk of [1, 2, 3, 7, 4096]) {
    const r = split(input, chunk);
    assert.deepEqual(r.lines, expected, `chunk ${chunk}`);
    assert.equal(r.endedWithoutNewline, true);
  }
});

test('an overlong line is reported once, skipped, and the next line still has the right offset', () => {
  const input = `ok\n${'x'.repeat(100)}\nnext\n`;
  for (const chunk of [1, 7, 4096]) {
    const r = split(input, chunk, 10);
    assert.deepEqual(r.lines.map((l) => l.text), ['ok', 'next'], `chunk ${chunk}`);
    assert.deepEqual(r.overlong, [{ lineNo: 2, offset: 3 }]);
    assert.deepEqual(r.lines[1], { text: 'next', offset: 104, lineNo: 3 });
  }
});
