// A filter expression typed in the trace editor's filter bar, in real VS Code (code-server) with
// the built extension and the sample workspace: the table keeps exactly what `ktl events --where
// EXPR --count` counts (the same core without VS Code), and a broken expression is shown with the
// column it points at while the table keeps its last filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, samplePath, withWorkbench } from './harness';

const TRACE = 'traces/veth-ping.trace';
const EXPR = 'len > 64 && (event == net_dev_xmit || comm ~ "ping*")';

function ktlCount(file: string, expr: string): number {
  const cli = join(REPO_ROOT, 'dist/cli.js');
  assert.ok(existsSync(cli), `${cli} missing: run npm run build first`);
  const out = execFileSync(process.execPath, [cli, 'events', file, '--where', expr, '--count'], { encoding: 'utf8', timeout: 120_000 }).trim();
  assert.match(out, /^\d+$/);
  return Number(out);
}

test('typing a filter expression in the filter bar filters the table as ktl --where does', { timeout: 300_000 }, async () => {
  assert.ok(existsSync(join(REPO_ROOT, 'dist/extension.js')), 'dist/extension.js missing: run npm run build first');
  const file = samplePath(TRACE);
  const expected = ktlCount(file, EXPR);
  assert.ok(expected > 0);

  await withWorkbench(
    'filter-expression',
    async (wb) => {
      await wb.openFile(TRACE);
      const frame = await wb.findFrame('#filter-expr', 90_000);
      await frame.waitForSelector('#match-count[data-matched]', { timeout: 90_000 });
      const box = frame.locator('#filter-expr input');
      await box.click();
      await box.pressSequentially(EXPR, { delay: 20 });
      await box.press('Enter');
      await frame.waitForFunction((n) => document.getElementById('match-count')?.dataset.matched === String(n), expected, { timeout: 60_000 });
      await wb.screenshot('filter-expression');

      // A value missing at the end: the problem names column 7 and the table keeps the filter.
      await box.fill('len > ');
      await box.press('Enter');
      await frame.waitForFunction(() => document.getElementById('filter-expr-problem')?.dataset.column === '7', undefined, { timeout: 60_000 });
      assert.equal(await frame.textContent('#filter-expr-problem .ktl-expr-message'), 'expected a value at column 7');
      assert.equal(await frame.getAttribute('#match-count', 'data-matched'), String(expected));
    },
    { timeoutMs: 240_000 },
  );
});
