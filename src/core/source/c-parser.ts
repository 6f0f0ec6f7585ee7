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

export class CParser {
  constructor(private readonly parser: Parser) {}

  parse(text: string): Tree {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}
