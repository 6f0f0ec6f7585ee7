// Raw kernel addresses through a saved kallsyms (test/fixtures/kallsyms, recorded on this
// machine with capture-kallsyms.sh): perf's own symbolisation of the same addresses is the
// oracle; hits of raw sample addresses equal the hits of perf's symbolised samples.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleNode } from '../../scripts/bundle-node.mjs';
import { Kallsyms, KallsymsError, formatSymbolOffset, parseAddress } from '../../src/core/source/kallsyms';
import { loadKallsyms } from '../../src/core/io/kallsyms-file';
import { loadTraceFile } from '../../src/core/io/file-source';
import { computeHits } from '../../src/core/analysis/hits';
import { LINUX, LINUX_SKIP, linuxIndex } from '../helpers/source';

const KALLSYMS = 'test/fixtures/kallsyms/ping-samples.kallsyms';
const RAW = 'test/fixtures/perf/cpu-clock-ping-raw-ip.perf';
const SYMOFF = 'test/fixtures/perf/cpu-clock-ping-symoff.perf';

test('every sampled address and callchain frame resolves to the sym+off perf printed for it', () => {
  const table = Kallsyms.parse(readFileSync(KALLSYMS, 'utf8'), 'ping-samples.kallsyms');
  const pairs: [string, string][] = [];
  // `ping 7969/7969 11446.446976: cpu-clock:k:  ffffffff816e7d10 fget+0x0`
  for (const l of readFileSync(SYMOFF, 'utf8').split('\n')) {
    const m = /\s(ffffffff[0-9a-f]{8}) (\S+\+0x[0-9a-f]+)$/.exec(l);
    if (m) pairs.push([m[1] as string, m[2] as string]);
  }
  // `\tffffffff81e6334e dev_hard_start_xmit+0x16e ([kernel.kallsyms])`
  for (const l of readFileSync('test/fixtures/perf/net-ping-callchain.perf', 'utf8').split('\n')) {
    const m = /^\s+(ffffffff[0-9a-f]{8}) (\S+\+0x[0-9a-f]+) \(\[kernel\.kallsyms\]\)$/.exec(l);
    if (m) pairs.push([m[1] as string, m[2] as string]);
  }
  assert.ok(pairs.length > 500, `${pairs.length} addresses`);
  for (const [addr, perf] of pairs) {
    const r = table.resolve(parseAddress(addr) as bigint);
    assert.ok(r, `${addr} unresolved (perf: ${perf})`);
    assert.equal(`${r.symbol}+0x${r.offset.toString(16)}`, perf, addr);
  }
});

test('sizes run to the next address, as the kernel prints them; data, gaps and the ends resolve to nothing', () => {
  const table = Kallsyms.parse(readFileSync(KALLSYMS, 'utf8'), 'k');
  // ffffffff821946c0 t __xsk_rcv_zc, then ffffffff821947c0 t __pfx_xsk_recvmsg.
  const rcv = table.addressOf('__xsk_rcv_zc');
  assert.equal(rcv, 0xffffffff821946c0n);
  assert.equal(formatSymbolOffset(table.resolve((rcv as bigint) + 0x9bn) as NonNullable<ReturnType<Kallsyms['resolve']>>), '__xsk_rcv_zc+0x9b/0x100');
  assert.equal(table.resolve(0xffffffff81000000n - 1n), null, 'below the first symbol');
  assert.equal(table.resolve(0xffffffffffffff00n), null, 'past the last symbol (no size)');
  assert.equal(table.resolve(0x446420n), null, 'a user-space address');
  assert.equal(parseAddress('0xFFFFFFFF821946C0'), 0xffffffff821946c0n);
  assert.equal(parseAddress('__xsk_rcv_zc'), null);
});

test('a kallsyms read without privilege, and a damaged line, are refused with the reason and the line', async () => {
  await assert.rejects(loadKallsyms('test/fixtures/kallsyms/unprivileged-zeros.kallsyms'), (err: unknown) => {
    assert.ok(err instanceof KallsymsError);
    assert.match(err.message, /unprivileged-zeros\.kallsyms: every address is 0: .*kptr_restrict/);
    return true;
  });
  const text = readFileSync(KALLSYMS, 'utf8');
  const lines = text.split('\n').length;
  assert.throws(() => Kallsyms.parse(`${text}ffffffff8219 t\n`, 'saved.txt'), new RegExp(`^Error: saved\\.txt:${lines}: not a kallsyms line`));
  await assert.rejects(loadKallsyms('test/fixtures/kallsyms/no-such-file'), /kallsyms file test\/fixtures\/kallsyms\/no-such-file cannot be read/);
});

test('a kallsyms path that is not a regular file is refused without reading (or blocking on) it; a file past the bound stops the read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ktl-kallsyms-kinds-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const refused = async (path: string, kind: RegExp): Promise<void> =>
    assert.rejects(loadKallsyms(path), (err: unknown) => {
      assert.ok(err instanceof KallsymsError, String(err));
      assert.match(err.message, kind);
      assert.ok(err.message.includes(path), err.message);
      return true;
    });
  await refused('/dev/zero', /is a character device, not a regular file/);
  await refused(dir, /is a folder, not a regular file/);
  const fifo = join(dir, 'kallsyms.fifo');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status === 0) await refused(fifo, /is a FIFO, not a regular file/); // a blocking open would hang the test here
  // The bound counts bytes read, not what stat says (0 for /proc/kallsyms).
  const text = readFileSync(KALLSYMS);
  const big = join(dir, 'big.kallsyms');
  writeFileSync(big, text);
  await assert.rejects(loadKallsyms(big, text.length - 1), new RegExp(`kallsyms file ${big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is larger than ${text.length - 1} bytes`));
  assert.ok((await loadKallsyms(big, text.length)).resolve(0xffffffff816e7d10n), 'a file of exactly the bound is read');
});

test('hits: raw sample addresses with kallsyms land where perf\'s own symbols put them; without, unmapped with the reason', { skip: LINUX_SKIP }, async () => {
  const { index, tree } = await linuxIndex();
  const table = await loadKallsyms(KALLSYMS);
  const raw = await loadTraceFile(RAW);
  const sym = await loadTraceFile(SYMOFF);
  try {
    const viaKallsyms = await computeHits(raw, index, tree, { kallsyms: { table, origin: 'ping-samples.kallsyms' } });
    const viaPerf = await computeHits(sym, index, tree);
    const shape = (h: typeof viaPerf.hits) => h.map((e) => [e.event, e.file, e.line, e.function, e.count, e.mapping]);
    assert.deepEqual(shape(viaKallsyms.hits), shape(viaPerf.hits));
    assert.deepEqual(viaKallsyms.unmapped.map((u) => [u.event, u.count]), viaPerf.unmapped.map((u) => [u.event, u.count]));
    // net/core/skbuff.c:486 is `struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp_mask,` in Linux 6.1.
    const alloc = viaKallsyms.hits.find((h) => h.event === 'cpu-clock:k @ __alloc_skb');
    assert.deepEqual([alloc?.file, alloc?.line, alloc?.mapping, alloc?.note], ['net/core/skbuff.c', 486, 'sample-symbol', 'sampled addresses resolved per ping-samples.kallsyms']);
    const counted = viaKallsyms.hits.reduce((n, h) => n + h.count, 0) + viaKallsyms.unmapped.reduce((n, u) => n + u.count, 0);
    assert.equal(counted, raw.length, 'every sample is counted once');

    const without = await computeHits(raw, index, tree);
    assert.deepEqual(without.hits, []);
    assert.deepEqual(without.unmapped.map((u) => [u.event, u.count]), [['cpu-clock:k @ raw addresses', raw.length]]);
    assert.match(without.unmapped[0]?.reason ?? '', /set kernelTrace\.kallsyms/);
  } finally {
    raw.close();
    sym.close();
  }
});

test('ktl hits --kallsyms: raw samples placed; a kallsyms saved without privilege is one line on stderr, exit 2', { skip: LINUX_SKIP }, async () => {
  // ktl as it ships (bundled, the tree-sitter wasm beside it).
  const dir = mkdtempSync(join(tmpdir(), 'ktl-kallsyms-cli-'));
  const cli = await bundleNode('src/cli/main.ts', join(dir, 'cli.js'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ktl = (args: string[]) => spawnSync(process.execPath, [cli, 'hits', RAW, '--source', LINUX, '--no-cache', ...args], { encoding: 'utf8' });
  const ok = ktl(['--kallsyms', KALLSYMS, '--json']);
  assert.equal(ok.status, 0, ok.stderr);
  const hits = JSON.parse(ok.stdout) as { event: string; file: string; line: number }[];
  assert.deepEqual(hits.filter((h) => h.event === 'cpu-clock:k @ __alloc_skb').map((h) => `${h.file}:${h.line}`), ['net/core/skbuff.c:486']);
  const zeros = ktl(['--kallsyms', 'test/fixtures/kallsyms/unprivileged-zeros.kallsyms']);
  assert.equal(zeros.status, 2);
  assert.equal(zeros.stderr.trim().split('\n').length, 1, zeros.stderr);
  assert.match(zeros.stderr, /^ktl: test\/fixtures\/kallsyms\/unprivileged-zeros\.kallsyms: every address is 0/);
  // A kallsyms setting pointing at a device: refused at once (it used to read /dev/zero into memory until it ran out).
  const dev = ktl(['--kallsyms', '/dev/zero']);
  assert.equal(dev.status, 2, dev.stderr);
  assert.equal(dev.stderr.trim().split('\n').length, 1, dev.stderr);
  assert.match(dev.stderr, /^ktl: kallsyms file \/dev\/zero is a character device, not a regular file/);
});
