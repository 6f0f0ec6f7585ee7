// The ftrace text reader, one line shape at a time. Every input line below is copied from a
// real trace: seed 004 (Cloudflare's AF_XDP write-up), the Linux ftrace.rst examples, Trace
// Compass and LanGraph traces (see test/fixtures/README.md for the files they come from).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFtrace } from '../helpers/read';
import { eventJson } from '../../src/core/formats/decode';
import { detectBytes } from '../helpers/text-formats';

test('default line with 5-char flags: comm, pid, cpu, flags, time, kprobe event and probe site', () => {
  const t = readFtrace(
    '          iperf2-127018  [002] d.Z1. 542812.657026: __xsk_rcv_zc_L7: (__xsk_rcv_zc+0x9b/0x250) addr=0x16ce900 len=0x4e xs=0xffffa0c6e26ab400 fq=0xffffa0c72db94c40\n',
  );
  assert.equal(t.length, 1);
  assert.equal(t.comm(0), 'iperf2');
  assert.equal(t.pid(0), 127018);
  assert.equal(t.cpu(0), 2);
  assert.equal(t.flags(0), 'd.Z1.');
  assert.equal(t.event(0), '__xsk_rcv_zc_L7');
  assert.equal(t.originNs, 542812657026000n);
  const e = eventJson(t, 0);
  assert.deepEqual(e.probe, { symbol: '__xsk_rcv_zc', offset: 0x9b, size: 0x250 });
  assert.deepEqual(e.fields, { addr: '0x16ce900', len: '0x4e', xs: '0xffffa0c6e26ab400', fq: '0xffffa0c72db94c40' });
});

test('times are ns relative to the first event, exact at microsecond and nanosecond precision', () => {
  const t = readFtrace(
    [
      ' flowtrackd-p9zw-209120  [001] ..... 542812.657037: tracing_mark_write: ingress q:1 0x16ce900 FILL -> RX',
      ' flowtrackd-p9zw-209120  [001] ..... 542812.657039: tracing_mark_write: 0x16ce900 egress_tx_queue forward',
      ' flowtrackd-p9zw-209120  [001] ..... 542813.000000123: tracing_mark_write: x',
    ].join('\n'),
  );
  assert.deepEqual([t.tsNs(0), t.tsNs(1), t.tsNs(2)], [0, 2000, 342963123]);
  // comm with a dash inside splits at the last dash before the pid
  assert.equal(t.comm(0), 'flowtrackd-p9zw');
  assert.equal(t.pid(0), 209120);
  assert.deepEqual(eventJson(t, 0).fields, { text: 'ingress q:1 0x16ce900 FILL -> RX' });
});

test('record-tgid column, (-------) for idle, comm with spaces', () => {
  const t = readFtrace(
    [
      '<idle>-0       (-------) [000] d.... 27155.729066: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=bash next_pid=154961 next_prio=120',
      'sshd-148212  ( 148212) [003] d.... 27122.154961: sched_stat_runtime: comm=sshd pid=148212 runtime=132654 [ns] vruntime=117903587 [ns]',
      '     Web Content-2711  [003] d... 26186.336716: sched_switch: prev_comm=Web Content prev_pid=2711 prev_prio=120 prev_state=S ==> next_comm=CompositorTileW next_pid=3490 next_prio=120',
    ].join('\n'),
  );
  assert.equal(t.length, 3);
  assert.equal(t.tgid(0), -1);
  assert.equal(t.tgid(1), 148212);
  assert.equal(t.comm(2), 'Web Content');
  assert.equal(t.pid(2), 2711);
  assert.equal(t.tgid(2), -1);
  assert.ok(t.meta.hasTgid);
  const sw = eventJson(t, 2).fields;
  assert.equal(sw.prev_comm, 'Web Content');
  assert.equal(sw.prev_state, 'S');
  assert.equal(sw.next_comm, 'CompositorTileW');
});

test('irq-info off (no flags column) and the old "buffer started" annotation', () => {
  const t = readFtrace(
    [
      '# tracer: function',
      '#',
      '#           TASK-PID    CPU#    TIMESTAMP  FUNCTION',
      '#              | |       |          |         |',
      '##### CPU 3 buffer started ####',
      '    yum-updatesd-3111  [003]  1701.957688: free_poll_entry <-poll_freewait',
    ].join('\n'),
  );
  assert.equal(t.meta.tracer, 'function');
  assert.equal(t.length, 1);
  assert.equal(t.flags(0), '');
  assert.equal(t.comm(0), 'yum-updatesd');
  assert.equal(t.event(0), 'function');
  assert.deepEqual(eventJson(t, 0).fields, { func: 'free_poll_entry', parent: 'poll_freewait' });
  assert.deepEqual(t.bufferStarts, [{ cpu: 3, line: 5, beforeEvent: 0 }]);
});

test('header: entries-in-buffer and #P', () => {
  const t = readFtrace('# tracer: nop\n#\n# entries-in-buffer/entries-written: 918959/953688441   #P:4\n');
  assert.equal(t.meta.tracer, 'nop');
  assert.equal(t.meta.entriesInBuffer, 918959);
  assert.equal(t.meta.entriesWritten, 953688441);
  assert.equal(t.meta.onlineCpus, 4);
  assert.equal(t.length, 0);
  assert.equal(t.issueCount, 0);
});

test('lost events annotation is counted per CPU and not taken for an event', () => {
  const t = readFtrace(
    [
      '           <...>-1447  [001] 1038282.286875: myprobe: (do_sys_open+0x0/0xd6) dfd=3 filename=7fffd1ec4440 flags=8000 mode=0',
      'CPU:1 [LOST 1234 EVENTS]',
      '           <...>-1447  [001] 1038282.286878: myretprobe: (sys_openat+0xc/0xe <- do_sys_open) $retval=fffffffffffffffe',
    ].join('\n'),
  );
  assert.equal(t.length, 2);
  assert.deepEqual(t.lost, [{ cpu: 1, count: 1234, line: 2, beforeEvent: 1 }]);
  const ret = eventJson(t, 1);
  assert.deepEqual(ret.probe, { symbol: 'sys_openat', offset: 0xc, size: 0xe, returnFrom: 'do_sys_open' });
  assert.deepEqual(ret.fields, { $retval: 'fffffffffffffffe' });
});

test('uprobe with a bare address and a uretprobe', () => {
  const t = readFtrace(
    [
      '             zsh-24842 [006] 258544.995456: zfree_entry: (0x446420) arg1=446420 arg2=79',
      '             zsh-24842 [007] 258545.000270: zfree_exit:  (0x446540 <- 0x446420) arg1=446540 arg2=0',
    ].join('\n'),
  );
  assert.deepEqual(eventJson(t, 0).probe, { symbol: null, offset: null, size: null, address: '0x446420' });
  assert.deepEqual(eventJson(t, 1).probe, { symbol: null, offset: null, size: null, address: '0x446540', returnFrom: '0x446420' });
  assert.deepEqual(eventJson(t, 1).fields, { arg1: '446540', arg2: '0' });
});

test('latency format: cpu glued to flags, microsecond times, stack trace continuation lines', () => {
  const t = readFtrace(
    [
      '# tracer: irqsoff',
      '      ps-6143    2d...    0us!: trace_hardirqs_off <-__lock_task_sighand',
      '      ps-6143    2d..1  259us+: trace_hardirqs_on <-_raw_spin_unlock_irqrestore',
      '      ps-6143    2d..1  306us : <stack trace>',
      ' => trace_hardirqs_on_caller',
      ' => trace_hardirqs_on',
    ].join('\n'),
  );
  assert.equal(t.length, 3);
  assert.equal(t.meta.timeSource, 'latency-us');
  assert.deepEqual([t.cpu(0), t.flags(0), t.comm(0), t.pid(0)], [2, 'd...', 'ps', 6143]);
  assert.deepEqual([t.tsNs(0), t.tsNs(1), t.tsNs(2)], [0, 259000, 306000]);
  assert.equal(t.event(2), 'kernel_stack');
  assert.deepEqual(eventJson(t, 2).stack, ['trace_hardirqs_on_caller', 'trace_hardirqs_on']);
  assert.equal(t.issueCount, 0);
});

test('latency format: wakeup and context-switch entries', () => {
  const t = readFtrace(
    [
      '  <idle>-0       2d.h4    0us :      0:120:R   + [002]  5882: 94:R sleep',
      '  <idle>-0       2d.h4    1us : sched_wakeup: comm=sleep pid=5882 prio=94 success=1 target_cpu=002',
      '  <idle>-0       2d..3    6us :      0:120:R ==> [002]  5882: 94:R sleep',
    ].join('\n'),
  );
  assert.deepEqual([t.event(0), t.event(1), t.event(2)], ['wakeup', 'sched_wakeup', 'context_switch']);
});

test('function_graph: nesting, durations, per-CPU time estimated from durations', () => {
  const t = readFtrace(
    [
      '# tracer: function_graph',
      '#',
      '# CPU  DURATION                  FUNCTION CALLS',
      '# |     |   |                     |   |   |   |',
      '',
      ' 0)               |  sys_open() {',
      ' 0)               |    do_sys_open() {',
      ' 0)   1.382 us    |      __might_sleep();',
      ' 0)   2.478 us    |    }',
      ' 0) + 15.292 us   |  }',
    ].join('\n'),
  );
  assert.equal(t.length, 5);
  assert.equal(t.meta.timeSource, 'funcgraph-durations');
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => t.event(i)),
    ['funcgraph_entry', 'funcgraph_entry', 'funcgraph_entry', 'funcgraph_exit', 'funcgraph_exit'],
  );
  assert.deepEqual(eventJson(t, 2).fields, { depth: '2', func: '__might_sleep', duration_ns: '1382', leaf: 'true' });
  assert.deepEqual(eventJson(t, 4).fields, { depth: '0', duration_ns: '15292' });
  // leaf runs 0..1382; do_sys_open exits at 0 + 2478; sys_open at 0 + 15292
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => t.tsNs(i)), [0, 0, 0, 2478, 15292]);
  assert.equal(t.pid(0), -1);
});

test('function_graph with abstime and proc columns, and the => task switch', () => {
  const t = readFtrace(
    [
      '7238523.638008 |   0)               |              finish_task_switch() {',
      '7238523.638013 |   0)   0.153 us    |                    rcu_irq_enter();',
      '0)    sh-4802     |   0.616 us    |                        rcu_process_gp_end();',
      ' ------------------------------------------',
      ' 0)  platfor-3210  =>  vmstat-2854  ',
      ' ------------------------------------------',
      ' 0)   0.052 us    |          paravirt_get_lazy_mode();',
    ].join('\n'),
  );
  assert.equal(t.issueCount, 0);
  assert.equal(t.length, 5);
  assert.equal(t.meta.timeSource, 'timestamps');
  assert.equal(t.tsNs(1), 5000);
  assert.deepEqual([t.comm(2), t.pid(2)], ['sh', 4802]);
  assert.equal(t.event(3), 'context_switch');
  // after the switch, lines without a proc column belong to the task switched to
  assert.deepEqual([t.comm(4), t.pid(4)], ['vmstat', 2854]);
});

test('syscall events printed without a name, hwlat lines named after the tracer', () => {
  const t = readFtrace(
    [
      '# tracer: hwlat',
      '            bash-1998  [000] d...   140.733504: sys_dup2(oldfd: a, newfd: 1)',
      '            bash-1998  [000] d...   140.733506: sys_dup2 -> 0x1',
      '           <...>-3638  [001] d... 19452.055471: #1     inner/outer(us):   12/14    ts:1499801089.066141940',
    ].join('\n'),
  );
  assert.deepEqual([t.event(0), t.event(1), t.event(2)], ['sys_enter_dup2', 'sys_exit_dup2', 'hwlat']);
  assert.deepEqual(eventJson(t, 0).fields, { oldfd: 'a', newfd: '1' });
  assert.deepEqual(eventJson(t, 1).fields, { ret: '0x1' });
});

test('counter clock: integer timestamps stay exact beyond 2^53', () => {
  const t = readFtrace(
    [
      '            bash-1998  [000] d...   18446744073709551000: sched_waking: comm=a pid=1 prio=120 target_cpu=000',
      '            bash-1998  [000] d...   18446744073709551615: sched_waking: comm=a pid=1 prio=120 target_cpu=000',
    ].join('\n'),
  );
  assert.equal(t.meta.timeSource, 'counter');
  assert.equal(t.originNs, 18446744073709551000n);
  assert.equal(t.tsNs(1), 615);
});

test('values keep spaces and inner "=" signs; text before the first key is kept', () => {
  const t = readFtrace(
    [
      '     mmcqd/0-1234  [000] ...1  1234.567890: bputs_like: my_field=foo=bar=baz other=1',
      '          <idle>-0     [000] d.h. 1234.567891: softirq_raise: vec=1 [action=TIMER]',
      '          <idle>-0     [000] ..s. 1234.567892: napi_poll: napi poll on napi struct 0000000012345678 for device eth0 work 1 budget 64',
    ].join('\n'),
  );
  assert.deepEqual(eventJson(t, 0).fields, { my_field: 'foo=bar=baz', other: '1' });
  assert.deepEqual(eventJson(t, 1).fields, { vec: '1 [action=TIMER]' });
  assert.deepEqual(eventJson(t, 2).fields, { text: 'napi poll on napi struct 0000000012345678 for device eth0 work 1 budget 64' });
});

test('a marker whose text is HTML stays text', () => {
  const t = readFtrace('  bash-1  [000] ..... 1.000000: tracing_mark_write: <script>alert(1)</script> key=value\n');
  assert.deepEqual(eventJson(t, 0).fields, { text: '<script>alert(1)</script> key=value' });
});

test('CRLF line endings and a last line without a newline', () => {
  const t = readFtrace('  bash-1  [000] ..... 1.000000: a: x=1\r\n  bash-1  [000] ..... 1.000001: b: y=2');
  assert.equal(t.length, 2);
  assert.deepEqual(eventJson(t, 0).fields, { x: '1' });
  assert.deepEqual(eventJson(t, 1).fields, { y: '2' });
});

test('lines that are not events become issues with their line and offset, reading goes on', () => {
  const t = readFtrace('# tracer: nop\n[...]\n  bash-1  [000] ..... 1.000000: a: x=1\n');
  assert.equal(t.length, 1);
  assert.equal(t.issueCount, 1);
  assert.equal(t.issues[0]?.line, 2);
  assert.equal(t.issues[0]?.offset, 14);
  assert.match(t.issues[0]?.message ?? '', /not an ftrace event line/);
});

test('function_graph of 6.x kernels: arguments, return addresses and return values become fields', () => {
  const t = readFtrace(
    [
      ' 2)               |  pick_next_task(rq=0xffff88807ddad800, prev=0xffff888007949bc0) { /* <-__schedule+0x154/0x700 */',
      ' 2)   0.081 us    |    pick_task_fair(rq=0xffff88807ddad800); /* <-pick_next_task+0x48/0x3b0 ret=0x0 */',
      ' 2)   0.070 us    |    kfree_skb_reason(skb=0xffff888104c3a200, reason=(enum skb_drop_reason)0x2, func=0x1);',
      ' 2)   0.692 us    |  } /* pick_next_task ret=-22 */',
      ' 2)   0.203 us    |  proc_reg_write(); /* = -5 */',
      ' 2)   0.300 us    |  } /* proc_reg_write = 0xfffffffb */',
      ' 2)   0.100 us    |  } /* tail_only */',
    ].join('\n'),
  );
  assert.equal(t.issueCount, 0);
  assert.equal(t.length, 7);
  assert.deepEqual(eventJson(t, 0).fields, { depth: '0', func: 'pick_next_task', rq: '0xffff88807ddad800', prev: '0xffff888007949bc0', caller: '__schedule+0x154/0x700' });
  assert.deepEqual(eventJson(t, 1).fields, { depth: '1', func: 'pick_task_fair', rq: '0xffff88807ddad800', caller: 'pick_next_task+0x48/0x3b0', retval: '0x0', duration_ns: '81', leaf: 'true' });
  // A cast keeps its parentheses; an argument named like a field of the call is renamed.
  assert.deepEqual(eventJson(t, 2).fields, { depth: '1', func: 'kfree_skb_reason', skb: '0xffff888104c3a200', reason: '(enum skb_drop_reason)0x2', arg_func: '0x1', duration_ns: '70', leaf: 'true' });
  assert.deepEqual(eventJson(t, 3).fields, { depth: '0', func: 'pick_next_task', retval: '-22', duration_ns: '692' });
  // 6.5-6.14 funcgraph-retval: `/* = -5 */` on calls, `} /* func = 0x.. */` on exits.
  assert.deepEqual(eventJson(t, 4).fields, { depth: '0', func: 'proc_reg_write', retval: '-5', duration_ns: '203', leaf: 'true' });
  assert.deepEqual(eventJson(t, 5).fields, { depth: '0', func: 'proc_reg_write', retval: '0xfffffffb', duration_ns: '300' });
  assert.deepEqual(eventJson(t, 6).fields, { depth: '0', func: 'tail_only', duration_ns: '100' });
});

test('function tracer with func-args: the call, its arguments and its parent', () => {
  const t = readFtrace(
    [
      '# tracer: function',
      '            bash-1998  [000] ...1.   140.733504: vfs_write(file=0xffff888104c3a200, buf=0x55d1c3e0a2c0, count=0x3, pos=0xffffc90000bb7ef8) <-ksys_write+0x6b/0xf0',
      '            bash-1998  [000] ...1.   140.733505: rw_verify_area <-vfs_write',
    ].join('\n'),
  );
  assert.equal(t.issueCount, 0);
  assert.deepEqual([t.event(0), t.event(1)], ['function', 'function']);
  assert.deepEqual(eventJson(t, 0).fields, { func: 'vfs_write', parent: 'ksys_write+0x6b/0xf0', file: '0xffff888104c3a200', buf: '0x55d1c3e0a2c0', count: '0x3', pos: '0xffffc90000bb7ef8' });
  assert.deepEqual(eventJson(t, 1).fields, { func: 'rw_verify_area', parent: 'vfs_write' });
});

test('legacy systrace HTML: the ftrace text of the trace-data block, after 100 KB of JavaScript, at its own lines', () => {
  const js = `  <script>${'var a=1,b={c:2};function f(x){return x.y=3}'.repeat(2500)}</script>`;
  const lines = [
    '<!DOCTYPE html>',
    '<html><head><title>Android System Trace</title>',
    js,
    '</head><body>',
    '<!-- BEGIN TRACE -->',
    '  <script class="trace-data" type="application/text">',
    '# tracer: nop',
    '#',
    '           <...>-10144 (10144) [007] dn.4  7480.992787: sched_wakeup: comm=kworker/7:0 pid=9996 prio=120 target_cpu=007',
    '          <idle>-0     (-----) [002] d..3  7480.992800: sched_switch: prev_comm=swapper/2 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=sh next_pid=10144 next_prio=120',
    '  </script>',
    '  <script class="trace-data" type="application/text">',
    '{"traceEvents": [{"name": "process_argv", "args": {"x": "a=b"}}]}',
    '  </script>',
    '<!-- END TRACE -->',
    '</body></html>',
  ];
  const bytes = new TextEncoder().encode(lines.join('\n'));
  assert.ok(bytes.length > 100_000);
  assert.equal(detectBytes(bytes), 'ftrace');
  for (const chunk of [7, 4096, 1 << 20]) {
    const t = readFtrace(bytes, chunk);
    assert.equal(t.issueCount, 0);
    assert.equal(t.length, 2);
    assert.deepEqual([t.event(0), t.event(1)], ['sched_wakeup', 'sched_switch']);
    assert.deepEqual([t.line(0), t.line(1)], [9, 10]);
    assert.equal(t.comm(1), '<idle>');
  }
});

test('legacy systrace HTML: the linuxPerfData string with its `\\n\\` line ends; a page without a trace says so', () => {
  const legacy = [
    '<!DOCTYPE HTML>',
    '<html><body>',
    '  <script>',
    '  var linuxPerfData = "\\',
    '# tracer: nop\\n\\',
    '           <...>-10144 [007] dn.3  7480.992804: sched_contrib_scale_f: cpu=7 freq_scale_factor=358\\n\\',
    '            adbd-315   [002] d..3  7480.993259: sched_switch: prev_comm=adbd prev_pid=315 prev_prio=120 prev_state=R+ ==> next_comm=kworker/2:1 next_pid=5748 next_prio=120\\n\\',
    '";',
    '  </script>',
    '</body></html>',
  ].join('\n');
  const t = readFtrace(legacy);
  assert.equal(t.issueCount, 0);
  assert.equal(t.length, 2);
  assert.deepEqual(eventJson(t, 0).fields, { cpu: '7', freq_scale_factor: '358' });
  assert.equal(eventJson(t, 1).fields.next_prio, '120');

  const page = new TextEncoder().encode('<!doctype html>\n<html><script>var x=1; y=2; z=3;\nw=4;</script></html>\n');
  assert.equal(readFtrace(page).issues[0]?.message.startsWith('an HTML page without systrace trace data'), true);
  assert.notEqual(detectBytes(page), 'ftrace');
  assert.notEqual(detectBytes(page), 'printf');
});
