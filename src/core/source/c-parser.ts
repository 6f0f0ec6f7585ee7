/**
 * The C parser: tree-sitter's C grammar through web-tree-sitter (WebAssembly, so the same
 * code runs in the extension host, the worker, `ktl` and tests). Core stays free of file
 * access: the caller hands in the two .wasm files' bytes (src/core/io/source-files.ts).
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';

export interface CParserWasm {
  /** web-tree-sitter.wasm (the runtime). */
  readonly runtime: Uint8Array;
  /** tree-sitter-c.wasm (the grammar). */
  readonly grammar: Uint8Array;
}

let ready: Promise<Language> | null = null;

/** A parser for C. The runtime initialises once per process. */
export async function createCParser(wasm: CParserWasm): Promise<CParser> {
  ready ??= (async () => {
    // Emscripten module option: the runtime's bytes instead of a fetch/readFile of its path.
    await Parser.init({ wasmBinary: wasm.runtime } as object);
    return Language.load(wasm.grammar);
  })();
  const language = await ready;
  const parser = new Parser();
  parser.setLanguage(language);
  return new CParser(parser);
}

/**
 * Kernel attribute macros tree-sitter cannot know (it does not expand macros): `void __init
 * foo(void)` would parse as a declaration of `__init`. They are blanked out with spaces of the
 * same length before parsing, so every line and column stays where it is in the file.
 */
const KERNEL_ATTRIBUTES =
  /\b(?:__init|__exit|__always_inline|noinline|noinline_for_stack|__noinline_for_stack|__cold|__hot|__latent_entropy|__sched|notrace|__maybe_unused|__weak|__must_check|asmlinkage|__visible|__noreturn|__flatten|__ref|__net_init|__net_exit|__meminit|__init_or_module|__irq_entry|__kprobes|nokprobe_inline|__nocfi|__noclone|__attribute_const__|__pure|__malloc)\b|\b__(?:acquires|releases|must_hold|printf|scanf|cond_acquires|alloc_size)\s*\([^()\n]*\)/g;

export function blankKernelAttributes(text: string): string {
  return text.replace(KERNEL_ATTRIBUTES, (m) => ' '.repeat(m.length));
}

export class CParser {
  constructor(private readonly parser: Parser) {}

  /** Parses kernel C (attribute macros blanked, positions unchanged). */
  parse(text: string): Tree {
    const tree = this.parser.parse(blankKernelAttributes(text));
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}
