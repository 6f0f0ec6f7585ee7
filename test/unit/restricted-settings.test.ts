// Restricted Mode (issue #10 item 6): a workspace's own values of the settings that name files
// the extension reads or runs a program on are ignored until the workspace is trusted, and the
// manifest declares exactly those settings restricted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import { RESTRICTED_SETTINGS, settingValue } from '../../src/extension/restricted-settings';
import { loadTraceFile } from '../../src/core/io/file-source';
import type * as SourceService from '../../src/worker/source-service';
import { LINUX } from '../helpers/source';
import { makeShims, parseLog } from '../helpers/shell-shims';

test('untrusted: the user value or the default, never the workspace or folder value; trusted: the usual precedence', () => {
  const all = { defaultValue: '', globalValue: '/home/me/vmlinux', workspaceValue: '/tmp/evil.elf', workspaceFolderValue: '/dev/zero' };
  assert.equal(settingValue(all, false), '/home/me/vmlinux');
  assert.equal(settingValue(all, true), '/dev/zero');
  assert.equal(settingValue({ defaultValue: '', workspaceValue: '/dev/zero' }, false), '');
  assert.equal(settingValue({ defaultValue: '', workspaceValue: '/dev/zero' }, true), '/dev/zero');
  assert.equal(settingValue({ workspaceFolderValue: '~' }, false), undefined);
  assert.equal(settingValue({ globalValue: '/src/linux', workspaceValue: '' }, true), '', 'an empty workspace value still wins when trusted');
  assert.equal(settingValue(undefined, true), undefined);
});

test('package.json: the restricted settings are declared for untrusted workspaces, and they are settings of ours', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
    capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[]; description: string } };
    contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] };
  };
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  const declared = RESTRICTED_SETTINGS.map((k) => `kernelTrace.${k}`);
  assert.deepEqual([...(u.restrictedConfigurations ?? [])].sort(), [...declared].sort());
  const config = pkg.contributes.configuration;
  const props = Object.assign({}, ...(Array.isArray(config) ? config : [config]).map((c) => c.properties)) as Record<string, unknown>;
  for (const k of declared) {
    assert.ok(k in props, `${k} is a contributed setting`);
    assert.ok(u.description.includes(k), `the untrusted-workspace description names ${k}`);
  }
});

test('source worker with restricted set: hits and symbol lookups start no process (ripgrep, addr2line); without it they do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-restricted-'));
  const saved = { PATH: process.env.PATH, KTL_SHIM_LOG: process.env.KTL_SHIM_LOG, KTL_RIPGREP: process.env.KTL_RIPGREP };
  const trace = await loadTraceFile('test/fixtures/ftrace/seed004-xsk-flush-race.trace');
  try {
    const out = await bundleNode('src/worker/source-service.ts', join(dir, 'worker', 'source-service.js'));
    const service = createRequire(__filename)(out) as typeof SourceService;
    // `rg` and `addr2line` found first on PATH are shims that log their argv.
    const log = join(dir, 'calls.log');
    writeFileSync(log, '');
    process.env.PATH = `${makeShims(dir)}:${saved.PATH ?? ''}`;
    process.env.KTL_SHIM_LOG = log;
    delete process.env.KTL_RIPGREP;
    const cfg = { sourceRoot: LINUX, cacheDir: join(dir, 'cache'), vmlinux: join(dir, 'vmlinux') };
    const restricted = await service.traceHits(trace, { ...cfg, restricted: true });
    await service.resolveSymbol({ ...cfg, restricted: true }, 'xsk_flush');
    assert.deepEqual(parseLog(readFileSync(log, 'utf8')), [], 'no process in Restricted Mode');
    assert.ok(restricted.hits.some((h) => h.function === 'xsk_flush'), 'the source index still works, searched in Node');
    service.forgetSourceIndexes();
    await service.traceHits(trace, { ...cfg, cacheDir: join(dir, 'cache-trusted') });
    const names = new Set(parseLog(readFileSync(log, 'utf8')).map((c) => c[0]));
    assert.ok(names.has('rg') && names.has('addr2line'), `trusted: ripgrep and addr2line run (${[...names].join(', ')})`);
  } finally {
    trace.close();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
