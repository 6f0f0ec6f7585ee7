// User regular expressions run in linear time (issue 10, item 3): RE2 (re2js) for patterns
// from .vscode/kernel-trace.json, V8's engine only for one-pass patterns translated to mean the
// same; what RE2 cannot run is refused by JSON path (printf.test.ts, lifecycle-model.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RE2JS } from 're2js';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import { compileUserRegex, type UserRegex } from '../../src/core/config/user-regex';
import { compileModel, parseKernelTraceConfig, type LifecycleModelJson } from '../../src/core/analysis/lifecycle/model';
import { builtinModel } from '../../src/core/analysis/lifecycle/models/index';
import { corpusPath } from '../helpers/third-party';

const OPENSNOOP = corpusPath('bpf/bpftrace-opensnoop_example.txt');

const dir = mkdtempSync(join(tmpdir(), 'ktl-user-regex-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let cli = '';
before(async () => {
  cli = await bundleNode('src/cli/main.ts', join(dir, 'bin', 'cli.js'));
});

const EVIL = '(a+)+$';
const MARKER = `${'a'.repeat(40)}!`;

test('ktl with the printf pattern (a+)+$ reads a file with a 40-character marker promptly (it ran past 30 s)', () => {
  writeFileSync(join(dir, 'evil.json'), JSON.stringify({ printf: { pattern: EVIL } }));
  writeFileSync(join(dir, 'marker.txt'), `${MARKER}\nprobe a=1\nprobe a=2\n${MARKER}\nprobe a=3\n`);
  // A child with a deadline: a backtracking engine hangs here, and the test must fail, not hang.
  const r = spawnSync(process.execPath, [cli, 'stats', join(dir, 'marker.txt'), '--json', '--config', join(dir, 'evil.json')], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'ktl was killed at the 20 s deadline');
  assert.equal(r.status, 4, r.stderr); // the two marker lines are problems: neither pattern nor key=value
  assert.equal((JSON.parse(r.stdout) as { events: number }).events, 3);
});

test('a lifecycle model pattern that would backtrack runs on RE2 and gives up on the marker at once', () => {
  const json: LifecycleModelJson = {
    name: 'evil',
    states: ['A', 'B'],
    mappings: [{ id: 'm', event: 'tracing_mark_write', pattern: `(?<key>${EVIL})`, state: 'A' }],
    transitions: ['A -> B'],
  };
  const re = compileModel(json).mappings[0]?.pattern as UserRegex;
  assert.equal(re.engine, 're2');
  assert.equal(parseKernelTraceConfig(JSON.stringify({ lifecycles: [json] }))[0]?.mappings[0]?.pattern?.engine, 're2', 'a workspace model too');
  // Only the models we ship use V8's engine as they are.
  assert.equal(builtinModel('af-xdp')?.mappings.find((m) => m.pattern !== null)?.pattern?.engine, 'v8-builtin');
  assert.equal(re.exec(MARKER), null);
  assert.equal(re.exec('aaa')?.groups.key, 'aaa');
});

test('one-pass patterns run on V8 and find exactly what RE2 finds, on real lines and hostile ones', () => {
  const patterns = [
    JSON.parse(readFileSync('test/fixtures/models/printf-columns.json', 'utf8')).printf.pattern as string,
    '^(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<fd>-?\\d+)\\s+(?<err>\\d+)\\s+(?<path>\\S.*)$',
    '^(?<k>[\\w.-]+)=(?<v>[^ ]*) (?<rest>.*)$',
  ];
  const lines = [
    ...readFileSync('test/fixtures/printf/bpftrace-net-columns.txt', 'utf8').split('\n'),
    // A bpftrace tool's output written by others (the shared corpus, read in place when present).
    ...(existsSync(OPENSNOOP) ? readFileSync(OPENSNOOP, 'utf8').split('\n') : []),
    // \v, NBSP, U+2028 are spaces to V8's \s and not to RE2's; . stops at \r in V8, not in RE2;
    // an astral character is one code point to RE2 and two code units to V8 without `u`.
    '123\v0 834 ping ev dev 42',
    '123\u00a00 834 ping ev dev 42',
    '123 0 834 pi\u2028ng ev dev 42',
    '1 comm 3 0 /tmp/a\rb',
    '1 \u{1f600} 3 0 /x',
    'k.x=\u{1f600} r\u00e9st',
    '',
  ];
  for (const p of patterns) {
    const fast = compileUserRegex(p) as UserRegex;
    assert.equal(fast.engine, 'v8-onepass', p);
    const re2 = RE2JS.compile(p);
    for (const line of lines) {
      const want = re2.exec(line) as ({ groups?: Record<string, string | undefined> } & string[]) | null;
      const got = fast.exec(line);
      assert.deepEqual(got === null ? null : { ...got.groups }, want === null ? null : { ...want.groups }, `${p} on ${JSON.stringify(line)}`);
    }
  }
  // Flags, or syntax outside the checked subset, stay on RE2.
  assert.equal((compileUserRegex('^(?<a>\\d+)$', { ignoreCase: true }) as UserRegex).engine, 're2');
  assert.equal((compileUserRegex('^(?<a>\\pL+)$') as UserRegex).engine, 're2');
  assert.equal((compileUserRegex('^(?<a>[[:alpha:]]+)$') as UserRegex).engine, 're2');
});

test('ktl says on stderr when it uses ./.vscode/kernel-trace.json of the current directory; --config "" uses none', () => {
  const cwd = join(dir, 'ws');
  mkdirSync(join(cwd, '.vscode'), { recursive: true });
  writeFileSync(join(cwd, '.vscode', 'kernel-trace.json'), readFileSync('test/fixtures/models/printf-columns.json', 'utf8'));
  const file = resolve('test/fixtures/printf/bpftrace-net-columns.txt');
  const used = spawnSync(process.execPath, [cli, 'stats', file], { cwd, encoding: 'utf8' });
  assert.equal(used.status, 4, used.stderr); // the header lines
  assert.match(used.stderr, /^ktl: reader options from \.\/\.vscode\/kernel-trace\.json \(the current directory's; --config FILE for another, --config '' for none\)$/m);
  assert.match(used.stdout, /^format {6}printf/m);
  const none = spawnSync(process.execPath, [cli, 'stats', file, '--config', ''], { cwd, encoding: 'utf8' });
  assert.equal(none.status, 2, 'without the pattern the column output is not a trace');
  assert.doesNotMatch(none.stderr, /reader options from/);
  const given = spawnSync(process.execPath, [cli, 'stats', file, '--config', join(cwd, '.vscode', 'kernel-trace.json')], { cwd, encoding: 'utf8' });
  assert.equal(given.status, 4);
  assert.doesNotMatch(given.stderr, /the current directory's/);
});
