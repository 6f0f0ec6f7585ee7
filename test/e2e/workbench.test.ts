// Harness self-check, independent of the extension's features: the real VS Code comes up
// on the sample workspace and a plain file opens in a text editor. When this fails and
// open-trace does too, look at the harness / code-server install, not the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withWorkbench } from './harness';

test('workbench loads the sample workspace and opens a file in a text editor', { timeout: 300_000 }, async () => {
  await withWorkbench('workbench', async (wb) => {
    await wb.openFile('.vscode/settings.json');
    const editor = wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.waitFor({ state: 'visible', timeout: 20_000 });
    // The text editor renders the file's first line and the status bar shows the cursor.
    await wb.page
      .locator('.editor-group-container.active .view-line', { hasText: 'Kernel Trace Lens' })
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
    const cursor = wb.page.locator('.part.statusbar', { hasText: /Ln \d+, Col \d+/ });
    await cursor.waitFor({ state: 'visible', timeout: 20_000 });
    assert.deepEqual(await wb.tabLabels(), ['settings.json']);
    await wb.screenshot('workbench');
  });
});
