// The full Linux 6.1 tree for the source-index benchmark: Debian's `linux-source-6.1` package
// (a tarball in /usr/src) unpacked whole under bench/data/ (gitignored), by the same code that
// unpacks the test files (scripts/linux-source.mjs: installs the package when missing, renames
// the tree into place only when tar succeeded).
//   node bench/linux-source-tree.mjs     prints the tree's path (installs/unpacks if needed)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE, unpackLinux } from '../scripts/linux-source.mjs';

const DATA = 'bench/data';

/** The unpacked tree (absolute path); installs the package and unpacks it when missing. */
export function ensureLinuxTree() {
  mkdirSync(DATA, { recursive: true });
  // A file of the top level proves the rename happened (rename is the last step).
  return unpackLinux(join(DATA, PACKAGE), null, 'MAINTAINERS');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureLinuxTree());
