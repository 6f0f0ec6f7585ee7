// perf script text, one line shape at a time (shapes from builtin-script.c and the real
// captures in test/fixtures/perf/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerfScriptReader } from '../../src/core/formats/perf-script/reader';
import { eventJson } from '../../src/core/formats/decode';
import { detectBytes, readWith } from '../helpers/text-formats';

const read = (text: string, chunk?: number) => readWith(() => new PerfScriptReader(), text, chunk);

test('tracepoint: comm, tid, [cpu], time, `sys:name` event, key=value fields', () => {
  const t = read('            ping   508 [000]  2650.682141:                net:net_dev_queue: dev=ktltx-a skbaddr=0xffff888110810a00 len=42\n');
  assert.equal(t.meta.format, 'perf-script');
  assert.equal(t.comm(0), 'ping');
  assert.equal(t.pid(0), 508);
  assert.equal(t.cpu(0), 0);
  assert.equal(t.event(0), 'net:net_dev_queue');
  assert.equal(t.originNs, 2650682141000n);
  assert.deepEqual(eventJson(t, 0).fields, { dev: 'ktltx-a', skbaddr: '0xffff888110810a00', len: '42' });
});

test('perf probe event: the probe address and its arguments', () => {
  const t = read('  flowtrackd 142014 [002] 1234.000001: probe:__xsk_rcv_zc_L7: (ffffffff81b2c3db) addr=0x16ce900 len=60 xs=0xffff9a3e4a8e3000\n');
  const e = eventJson(t, 0);
  assert.equal(e.event, 'probe:__xsk_rcv_zc_L7');
  assert.deepEqual(e.probe, { symbol: null, offset: null, size: null, address: '0xffffffff81b2c3db' });
  assert.deepEqual(e.fields, { addr: '0x16ce900', len: '60', xs: '0xffff9a3e4a8e3000' });
});

test('sample with period and callchain: frames become the stack; a blank line ends it', () => {
  const text = 'python3 31595  2573.469060:    1001001 cpu-clock:pppH: \n\tffffffff81630273 __kmem_cache_alloc_bulk+0xc3 ([kernel.kallsyms])\n\t          1019b3 __mmap+0x13 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n\nbash 31595  2573.470044:    1001001 cpu-clock:pppH: \n\t           153e0 update_active.constprop.0+0x270 (/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2)\n';
  for (const chunk of [1, 5, 1 << 20]) {
    const t = read(text, chunk);
    assert.equal(t.length, 2);
    assert.equal(t.event(0), 'cpu-clock:pppH');
    assert.equal(t.extra('period')?.get(0), 1001001);
    assert.deepEqual(eventJson(t, 0).stack, ['ffffffff81630273 __kmem_cache_alloc_bulk+0xc3 ([kernel.kallsyms])', '1019b3 __mmap+0x13 (/usr/lib/x86_64-linux-gnu/libc.so.6)']);
    assert.equal(eventJson(t, 1).stack?.length, 1);
    assert.equal(t.cpu(0), 0);
  }
});

test('pid/tid column: tid is the pid column, pid the thread group', () => {
  const t = read('iperf  5617/5626  [001] 10.000001: cpu-clock: \n');
  assert.equal(t.pid(0), 5626);
  assert.equal(t.tgid(0), 5617);
  assert.equal(t.meta.hasTgid, true);
});

test('comms with spaces or made of hex digits; ip/sym/dso on the line without -g', () => {
  const t = read('Web Content 2  1234 [003] 5.000001: cycles: ffffffff81000000 native_write_msr+0x4 ([kernel.kallsyms])\n              dd  4321 [000] 5.000002: cycles: 7f00 memcpy+0x1 (/usr/lib/libc.so.6)\n');
  assert.equal(t.length, 2);
  assert.equal(t.comm(0), 'Web Content 2');
  assert.equal(t.comm(1), 'dd');
  assert.deepEqual(eventJson(t, 0).fields, { ip: 'ffffffff81000000', sym: 'native_write_msr+0x4', dso: '[kernel.kallsyms]' });
});

test('header: nrcpus online; a line that is not a sample is an issue with its line number', () => {
  const t = read('# ========\n# nrcpus online : 2\n# ========\n#\nnot a sample\nping 1 [000] 1.5: net:net_dev_xmit: dev=lo len=1 rc=0\n');
  assert.equal(t.meta.onlineCpus, 2);
  assert.equal(t.length, 1);
  assert.equal(t.issues[0]?.line, 5);
});

test('detection: perf script is not taken for ftrace, and ftrace not for perf script', () => {
  assert.equal(detectBytes(new TextEncoder().encode('            ping   508 [000]  2650.682141:                net:net_dev_queue: dev=ktltx-a len=42\n')), 'perf-script');
  assert.equal(detectBytes(new TextEncoder().encode('            ping-508   [000] ..... 2650.682141: net_dev_queue: dev=ktltx-a len=42\n')), 'ftrace');
});

test('perf probe return event: `(return address <- function)`', () => {
  const t = read('  iperf 2711 [001] 99.000001: probe:tcp_sendmsg__return: (ffffffff81a2b3c4 <- ffffffff81a2b000) ret=0x40\n');
  const e = eventJson(t, 0);
  assert.deepEqual(e.probe, { symbol: null, offset: null, size: null, address: '0xffffffff81a2b3c4', returnFrom: '0xffffffff81a2b000' });
  assert.deepEqual(e.fields, { ret: '0x40' });
});

test('without the time field (-F comm,pid,event,ip,sym): time source none, samples and callchains kept', () => {
  // The shape flame-graph tools keep: frames indented by perf, or not at all after their scripts.
  const text = 'java 19983 cycles: \n\tffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])\n\t7f7241fbe6d8 arrayOopDesc::base(BasicType) const (/opt/jdk/libjvm.so)\n\njava 19983 cycles:\nffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])\n7f72432b4e9a start_thread (/lib/x86_64-linux-gnu/libpthread-2.15.so)\n\n              dd 27056 cpu-clock:  ffffffff81d74e97 read_zero\n';
  for (const chunk of [1, 5, 1 << 20]) {
    const t = read(text, chunk);
    assert.equal(t.issueCount, 0);
    assert.equal(t.length, 3);
    assert.equal(t.meta.timeSource, 'none');
    assert.deepEqual([t.comm(0), t.pid(0), t.event(0)], ['java', 19983, 'cycles']);
    assert.deepEqual(eventJson(t, 0).stack, ['ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])', '7f7241fbe6d8 arrayOopDesc::base(BasicType) const (/opt/jdk/libjvm.so)']);
    assert.deepEqual(eventJson(t, 1).stack, ['ffffffff8103d0ca native_write_msr_safe ([kernel.kallsyms])', '7f72432b4e9a start_thread (/lib/x86_64-linux-gnu/libpthread-2.15.so)']);
    assert.deepEqual(eventJson(t, 2).fields, { ip: 'ffffffff81d74e97', sym: 'read_zero' });
  }
  assert.equal(detectBytes(new TextEncoder().encode(text)), 'perf-script');
});

test('without times, only perf event names make perf script: other `WORD NUMBER WORD:` text is not taken for it', () => {
  assert.notEqual(detectBytes(new TextEncoder().encode('server 8080 listening: ok\nclient 42 connected: yes\n')), 'perf-script');
  // Once a file has times, a line without them is not a sample.
  const t = read('ping 1 [000] 1.5: net:net_dev_xmit: dev=lo len=1 rc=0\nping 1 net:net_dev_xmit: dev=lo len=1 rc=0\n');
  assert.equal(t.length, 1);
  assert.equal(t.issueCount, 1);
});
