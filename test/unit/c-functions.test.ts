// Function definitions the way the kernel writes them (the macro cases of issue 3), from
// lines as they appear in Linux (kernel/bpf/syscall.c, kernel/softirq.c, net/xdp/xsk.c).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { functionDefinitions } from '../../src/core/source/c-functions';
import { cParser } from '../helpers/source';

const SRC = [
  'SYSCALL_DEFINE3(bpf, int, cmd, union bpf_attr __user *, uattr, unsigned int, size)', // 1
  '{', // 2
  '\treturn __sys_bpf(cmd, USER_BPFPTR(uattr), size);', // 3
  '}', // 4
  '', // 5
  'static __always_inline int', // 6
  'xskq_cons_peek_addr(struct xsk_queue *q, u64 *addr)', // 7
  '{', // 8
  '\treturn 0;', // 9
  '}', // 10
  'EXPORT_SYMBOL(xskq_cons_peek_addr);', // 11
  '', // 12
  'static __latent_entropy void tasklet_action(struct softirq_action *a)', // 13
  '{', // 14
  '\ttasklet_action_common(a, this_cpu_ptr(&tasklet_vec), TASKLET_SOFTIRQ);', // 15
  '}', // 16
  'int xsk_generic_rcv(struct xdp_sock *xs, struct xdp_buff *xdp);', // 17: prototype, not a definition
  'static struct sk_buff *xsk_build_skb(struct xdp_sock *xs,', // 18
  '\t\t\t\t     struct xdp_desc *desc)', // 19
  '{', // 20
  '\treturn NULL;', // 21
  '}', // 22
  '#ifdef CONFIG_NET', // 23
  'void __init xsk_init(void) { }', // 24
  '#endif', // 25
].join('\n');

test('kernel macro cases: syscall macro, attributes, split declarations, prototypes, #ifdef', async () => {
  const parser = await cParser();
  const tree = parser.parse(SRC);
  try {
    const defs = functionDefinitions(tree.rootNode).map((d) => ({ name: d.name, decl: d.declLine, start: d.startLine, end: d.endLine, params: d.params, aliases: d.aliases.length }));
    assert.deepEqual(defs, [
      { name: 'sys_bpf', decl: 1, start: 1, end: 4, params: ['cmd', 'uattr', 'size'], aliases: 5 },
      { name: 'xskq_cons_peek_addr', decl: 7, start: 6, end: 10, params: ['q', 'addr'], aliases: 0 },
      { name: 'tasklet_action', decl: 13, start: 13, end: 16, params: ['a'], aliases: 0 },
      { name: 'xsk_build_skb', decl: 18, start: 18, end: 22, params: ['xs', 'desc'], aliases: 0 },
      { name: 'xsk_init', decl: 24, start: 24, end: 24, params: [], aliases: 0 },
    ]);
  } finally {
    tree.delete();
  }
});
