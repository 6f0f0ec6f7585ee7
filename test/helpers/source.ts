/** Test helpers for the source index: the C parser from node_modules and the Linux 6.1 excerpts. */
import { join } from 'node:path';
import { createCParser, type CParser } from '../../src/core/source/c-parser';
import { FunctionIndex } from '../../src/core/source/function-index';
import { DiskSourceTree, findRipgrep, loadCParserWasm } from '../../src/core/io/source-files';

export const LINUX = 'test/fixtures/linux-6.1';

export function cParser(): Promise<CParser> {
  // loadCParserWasm looks in DIR and in DIR/../node_modules: point it at a folder beside node_modules.
  return createCParser(loadCParserWasm(join(process.cwd(), 'dist-none')));
}

export async function linuxIndex(useRipgrep = true): Promise<{ index: FunctionIndex; tree: DiskSourceTree }> {
  const tree = new DiskSourceTree(LINUX, useRipgrep ? findRipgrep() : null);
  return { index: new FunctionIndex(tree, await cParser()), tree };
}
