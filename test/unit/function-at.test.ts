// The function around a source line (Probe This Line names its probe after it). Tree-sitter's
// error recovery around kernel macros can stretch one definition over the next ones: in Debian's
// linux-source-6.1 (6.1.192) kernel/sched/fair.c a whole-file parse has set_skip_buddy "contain"
// pick_next_task_fair, which made Probe This Line at fair.c:7802 say set_skip_buddy_L148.
// Kernel layout (a body's `{` and `}` in column 0) is the cross-check: for every such body of the
// file, a line inside it must map to a function that ends at that `}` and is named in its head.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FunctionIndex } from '../../src/core/source/function-index';
import { DiskSourceTree } from '../../src/core/io/source-files';
import { cParser } from '../helpers/source';
import { LINUX_SOURCE, linuxSkip } from '../helpers/third-party';

// Debian's file, unpacked by scripts/linux-source.mjs (never committed; skipped where absent).
const FAIR = 'kernel/sched/fair.c';
const skip = linuxSkip(FAIR);
const ROOT = LINUX_SOURCE ?? '';

test('fair.c:7802 is in pick_next_task_fair (declared at 7794), not in the set_skip_buddy a whole-file parse stretches', { skip }, async () => {
  const index = new FunctionIndex(new DiskSourceTree(ROOT, null), await cParser());
  const fn = await index.functionAt(FAIR, 7802);
  assert.equal(fn?.name, 'pick_next_task_fair');
  assert.equal(fn?.declLine, 7794);
  assert.equal(fn?.file, FAIR);
});

test('every column-0 body of fair.c: its lines map to the function that ends at its `}` and is named in its head', { skip }, async () => {
  const index = new FunctionIndex(new DiskSourceTree(ROOT, null), await cParser());
  const lines = readFileSync(`${ROOT}/${FAIR}`, 'utf8').split('\n');
  let bodies = 0;
  let prevClose = 0;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k] as string;
    if (l.startsWith('}')) prevClose = k + 1;
    if (!l.startsWith('{')) continue;
    const open = k + 1;
    let close = open;
    while (close < lines.length && !(lines[close] as string).startsWith('}')) close++;
    close += 1;
    const head = lines.slice(prevClose, open - 1).join('\n');
    // Only function bodies: a `(` in the head's last statement (not `struct x =` or an array).
    if (!/\)\s*$/.test(head.trimEnd()) || /=\s*$/.test(head)) continue;
    bodies++;
    const inside = Math.min(open + 1, close);
    const fn = await index.functionAt(FAIR, inside);
    assert.ok(fn, `no function at ${FAIR}:${inside}`);
    assert.equal(fn.endLine, close, `${FAIR}:${inside} maps to ${fn.name} (${fn.startLine}-${fn.endLine}), the body is ${open}-${close}`);
    assert.match(head, new RegExp(`\\b${fn.name}\\s*\\(`), `${fn.name} is not named in the head above ${FAIR}:${open}`);
  }
  assert.ok(bodies > 300, `only ${bodies} function bodies found by layout`);
});
