// The full Linux 6.1 tree for the source-index benchmark: Debian's `linux-source-6.1` package
// (a tarball in /usr/src) unpacked under bench/data/ (gitignored). Idempotent: the package is
// installed only when the tarball is missing, and the tree is unpacked into a temp folder that
// is renamed into place only when tar succeeded, so an interrupted run never leaves half a tree
// that later runs would take for the whole one.
//   node bench/linux-source-tree.mjs     prints the tree's path (installs/unpacks if needed)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PACKAGE = 'linux-source-6.1';
const DATA = 'bench/data';
const TREE = join(DATA, PACKAGE);

function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')} exited ${r.status ?? r.signal})`);
}

function tarball() {
  if (!existsSync('/usr/src')) return null;
  const f = readdirSync('/usr/src').find((n) => n.startsWith(`${PACKAGE}.tar.`));
  return f ? join('/usr/src', f) : null;
}

/** The unpacked tree (absolute path); installs the package and unpacks it when missing. */
export function ensureLinuxTree() {
  // A marker file of the top level proves the rename happened (rename is the last step).
  if (existsSync(join(TREE, 'MAINTAINERS'))) return resolve(TREE);
  let tar = tarball();
  if (!tar) {
    if (process.getuid?.() !== 0) throw new Error(`${PACKAGE} is not installed and this is not root: run apt-get install -y ${PACKAGE} as root`);
    console.log(`installing ${PACKAGE} (apt-get) ...`);
    sh('apt-get', ['update', '-qq'], 'apt-get update');
    sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', PACKAGE], `apt-get install ${PACKAGE}`);
    tar = tarball();
    if (!tar) throw new Error(`${PACKAGE} installed but no /usr/src/${PACKAGE}.tar.* found`);
  }
  const tmp = join(DATA, `.${PACKAGE}.unpacking`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  console.log(`unpacking ${tar} into ${TREE} ...`);
  sh('tar', ['-xf', tar, '-C', tmp], `unpacking ${tar}`);
  // The tarball holds one top folder, linux-source-6.1/.
  const top = readdirSync(tmp);
  if (top.length !== 1) throw new Error(`${tar}: expected one top folder, found ${top.join(', ')}`);
  rmSync(TREE, { recursive: true, force: true });
  renameSync(join(tmp, top[0]), TREE);
  rmSync(tmp, { recursive: true, force: true });
  return resolve(TREE);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureLinuxTree());
