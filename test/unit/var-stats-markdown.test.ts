/** The hover's variable statistics: each variable's numbers apart from each other and from the next variable. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { varStatsMarkdown } from '../../src/extension/var-stats-markdown';

test('one line per variable, every figure labelled and separated (no table whose cells run together)', () => {
  const md = varStatsMarkdown(
    {
      addr: { distinct: 5, min: '0x1000', max: '0x5000', top: [['0x1000', 3], ['0x2000', 1]] },
      comm: { distinct: 1, min: null, max: null, top: [['a|b<script>', 2]] },
    },
    16,
  );
  assert.ok(!md.includes('|---'), 'not a Markdown table');
  const lines = md.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(lines.length, 2);
  assert.equal(lines[0], '- **addr**: 5 distinct · min 0x1000 · max 0x5000 · most frequent 0x1000 ×3, 0x2000 ×1');
  // Untrusted values stay escaped text.
  assert.ok(lines[1]?.includes('a\\|b\\<script\\>'), lines[1]);
});

test('more variables than shown are counted; none gives nothing', () => {
  const v = { distinct: 1, min: '1', max: '1', top: [['1', 1]] as const };
  assert.ok(varStatsMarkdown({ a: v, b: v, c: v }, 2).includes('- 1 more variables'));
  assert.equal(varStatsMarkdown({}, 2), '');
});
