// The `sym+0xoff/0xsize` and raw-address scan behind the editor's symbol links (issue #10
// item 4): the same references as the regular expressions it replaces on ordinary text, and
// bounded on hostile text — `a.` × 8 M (the old regex overflowed the stack after 3.8 s), one
// 16 MB line, millions of short lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_LINE_CHARS, MAX_LINKS, scanSymbolRefs } from '../../src/core/source/symbol-refs';
import { rng } from '../helpers/rng';

// The extension's expressions before this change, as the oracle on lines they handle fine.
const OLD_SYMBOL_OFFSET = /(?<![\w.$])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\+(0x[0-9a-fA-F]+)\/(0x[0-9a-fA-F]+)/g;
const OLD_RAW_ADDRESS = /(?<![\w.$+])(?:0x)?(ffffffff[89a-f][0-9a-f]{7})(?![\w+])/gi;

function oracle(text: string): string[] {
  const out: string[] = [];
  text.split('\n').forEach((line, n) => {
    for (const m of line.matchAll(OLD_SYMBOL_OFFSET)) out.push(`${n}:${m.index}:${m[1]}+${m[2]}`);
    for (const m of line.matchAll(OLD_RAW_ADDRESS)) out.push(`${n}:${m.index}:@${(m[1] as string).toLowerCase()}`);
  });
  return out.sort();
}

function shape(text: string): string[] {
  return scanSymbolRefs(text, { addresses: true })
    .refs.map((r) => `${r.line}:${r.start}:${r.address === null ? `${r.symbol}+${r.offset}` : `@${r.address}`}`)
    .sort();
}

test('ordinary text: the references the old expressions found, at the same places', () => {
  const text = [
    readFileSync('test/fixtures/ftrace/seed004-xsk-flush-race.trace', 'utf8'),
    readFileSync('test/fixtures/ftrace/seed004-fifo-break.trace', 'utf8'),
    ' RIP: 0010:__xsk_rcv_zc.isra.0+0x9b/0x250 [xsk]',
    ' [<ffffffff81a2b3c4>] ? xsk_flush+0x1c/0x40',
    ' ip=0xFFFFFFFF816E7D10 not=ffff888100000000 a$b+0x1/0x2 a..b+0x1/0x2 .x+0x1/0x2 x.+0x1/0x2 9x+0x1/0x2',
    'foo+0x1/0x zz+0x/0x1 y+0x10/0x20z q+0x10/ 0x20 p+0x1/0x2+0x3/0x4',
  ].join('\n');
  const want = oracle(text);
  assert.ok(want.length > 10, 'the sample has references');
  assert.deepEqual(shape(text), want);
});

test('random text over the alphabet of references: same as the old expressions', () => {
  const alphabet = ['a', 'Z', '_', '.', '$', '+', '0x', '1f', 'F', '/', ' ', '9', 'ffffffff81', '\n', 'ffffffff8a2b3c4d'];
  for (let seed = 1; seed <= 300; seed++) {
    const r = rng(seed);
    let s = '';
    for (let i = 0; i < 200; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    assert.deepEqual(shape(s), oracle(s), `seed ${seed}: ${JSON.stringify(s)}`);
  }
});

test('hostile: a.×8M, one 16 MB line, millions of short lines — bounded, no throw, the bound said', () => {
  const dots = 'a.'.repeat(8 * 1024 * 1024) + 'b+0x1/0x2';
  const d = scanSymbolRefs(dots, { addresses: true });
  assert.deepEqual(d.refs, []);
  assert.match(d.limited ?? '', /only the first 16777216 characters .* are scanned/);
  assert.match(d.limited ?? '', /1 line longer than 16384 characters scanned only to there/);

  // One 16 MB line full of references: those in its first MAX_LINE_CHARS only.
  const unit = 'x+0x1/0x2 ';
  const long = unit.repeat(Math.ceil((16 * 1024 * 1024) / unit.length));
  const l = scanSymbolRefs(long, { addresses: false });
  assert.equal(l.refs.length, Math.floor(MAX_LINE_CHARS / unit.length));
  assert.ok(l.refs.every((r) => r.end <= MAX_LINE_CHARS));

  // Millions of short lines: the link budget stops the scan and says where.
  const many = 'f+0x1/0x2\n'.repeat(1_600_000);
  const m = scanSymbolRefs(many, { addresses: true });
  assert.equal(m.refs.length, MAX_LINKS);
  assert.equal(m.refs.at(-1)?.line, MAX_LINKS - 1);
  assert.equal(m.limited, `links stop after ${MAX_LINKS} (the first ${MAX_LINKS} lines)`);
  const plain = 'no references here at all\n'.repeat(600_000);
  assert.deepEqual(scanSymbolRefs(plain, { addresses: true }), { refs: [], limited: null });
});

test('cancellation is polled while scanning', () => {
  let polls = 0;
  const r = scanSymbolRefs('x\n'.repeat(100_000), { addresses: false, cancelled: () => ++polls > 3 });
  assert.equal(r.limited, 'cancelled');
});
