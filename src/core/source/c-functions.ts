/**
 * Function definitions in one C file, from its tree-sitter tree, as the kernel writes them:
 *   `static int __xsk_rcv_zc(struct xdp_sock *xs, ...)`        plain
 *   `static __always_inline int\nfoo(int a)`                    attributes, split over lines
 *   `static __latent_entropy void run_timer_softirq(...)`       attribute macros
 *   `SYSCALL_DEFINE3(bpf, int, cmd, ...) { ... }`               syscall macros (no C declarator)
 *   `EXPORT_SYMBOL(foo);` after the body                         (not a definition)
 * tree-sitter does not expand macros; attribute macros show up as ERROR nodes inside an
 * otherwise good function_definition, syscall macros as a call statement followed by a block.
 */
import type { Node } from 'web-tree-sitter';

export interface FunctionDef {
  readonly name: string;
  /** 1-based line of the function's name: DWARF's DW_AT_decl_line, line 0 of `perf probe -L`. */
  readonly declLine: number;
  /** 1-based first line of the definition (storage class / return type). */
  readonly startLine: number;
  /** 1-based line of the closing brace. */
  readonly endLine: number;
  /** Parameter names, in order. */
  readonly params: readonly string[];
  /** For syscall macros: the names the kernel gives the function (`__do_sys_bpf`, `__x64_sys_bpf`, ...). */
  readonly aliases: readonly string[];
}

const SYSCALL_MACRO = /^(COMPAT_)?SYSCALL_DEFINE(\d)$/;

/** Walks the top level (and preprocessor blocks, and error recovery nodes) for definitions. */
export function functionDefinitions(root: Node): FunctionDef[] {
  const out: FunctionDef[] = [];
  const visit = (n: Node): void => {
    const kids = n.namedChildren;
    for (let k = 0; k < kids.length; k++) {
      const c = kids[k];
      if (!c) continue;
      if (c.type === 'function_definition') {
        const def = fromFunctionDefinition(c);
        if (def) out.push(def);
      } else if (c.type === 'expression_statement' && kids[k + 1]?.type === 'compound_statement') {
        const def = fromSyscallMacro(c, kids[k + 1] as Node);
        if (def) out.push(def);
      } else if (c.type.startsWith('preproc_') || c.type === 'ERROR' || c.type === 'declaration_list' || c.type === 'linkage_specification') {
        visit(c);
      }
    }
  };
  visit(root);
  return out;
}

function fromFunctionDefinition(fn: Node): FunctionDef | null {
  let d: Node | null = fn.childForFieldName('declarator');
  // Through pointer declarators (`struct sk_buff *foo(...)`) and parentheses to the function declarator.
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? d.namedChildren[0] ?? null;
  if (!d) return null;
  let id: Node | null = d.childForFieldName('declarator');
  while (id && id.type !== 'identifier') id = id.childForFieldName('declarator') ?? id.namedChildren[0] ?? null;
  if (!id) return null;
  const params: string[] = [];
  for (const p of d.childForFieldName('parameters')?.namedChildren ?? []) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const name = declaredName(p.childForFieldName('declarator'));
    if (name) params.push(name);
  }
  return {
    name: id.text,
    declLine: id.startPosition.row + 1,
    startLine: fn.startPosition.row + 1,
    endLine: fn.endPosition.row + 1,
    params,
    aliases: [],
  };
}

/** `SYSCALL_DEFINE3(bpf, int, cmd, union bpf_attr __user *, uattr, unsigned int, size) {...}` */
function fromSyscallMacro(stmt: Node, body: Node): FunctionDef | null {
  const call = stmt.namedChildren[0];
  if (!call || call.type !== 'call_expression') return null;
  const macro = call.childForFieldName('function');
  const m = macro ? SYSCALL_MACRO.exec(macro.text) : null;
  if (!m || !macro) return null;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a): a is Node => a !== null && a.type !== 'ERROR') ?? [];
  const first = args[0];
  if (!first || first.type !== 'identifier') return null;
  const sys = first.text;
  const compat = m[1] ? 'compat_' : '';
  // The argument list is type, name pairs after the syscall name: every second identifier is a name.
  const names = call.childForFieldName('arguments')?.text.replace(/^\(|\)$/g, '').split(',').slice(1).map((s) => s.trim()) ?? [];
  const params = names.filter((_, i) => i % 2 === 1).map((s) => /(\w+)$/.exec(s)?.[1] ?? s);
  const base = `${compat}sys_${sys}`;
  return {
    name: base,
    declLine: macro.startPosition.row + 1,
    startLine: stmt.startPosition.row + 1,
    endLine: body.endPosition.row + 1,
    params,
    aliases: [`__do_${base}`, `__se_${base}`, `__x64_${base}`, `__ia32_${base}`, `__arm64_${base}`],
  };
}

function declaredName(d: Node | null): string | null {
  let n: Node | null = d;
  while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChildren[0] ?? null;
  return n ? n.text : null;
}
