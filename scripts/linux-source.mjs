// Linux 6.1 source files for the sample workspace and the tests that need kernel source on a
// fresh clone: unpacked from Debian's `linux-source-6.1` package (a tarball in /usr/src), never
// committed (the files come from a public tree; see test/fixtures/README.md). Only the listed
// files are unpacked, into sample/linux-6.1/ (gitignored; inside the sample workspace so Ctrl+P finds
// xsk.c), paths kept as in the tree.
// Idempotent: the package is installed only when the tarball is missing (needs root), and the
// files are unpacked into a temp folder renamed into place only when tar succeeded, so an
// interrupted run never leaves a partial folder that later runs would take for the whole one.
//   node scripts/linux-source.mjs     prints the folder's path (installs/unpacks if needed)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE = 'linux-source-6.1';
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNEL_SOURCE = join(REPO, 'sample', 'linux-6.1');

/**
 * What the sample workspace and the tests read, as paths inside the tree. The seeds' hunts
 * (AF_XDP, veth, tap/ptr_ring, the rx/tx core and its tracepoints, packet/raw/ICMP/ping sockets,
 * bonding, bridge) and kernel/sched/fair.c (test/unit/function-at.test.ts), plus the license.
 */
export const FILES = [
  'COPYING',
  'LICENSES/preferred/GPL-2.0',
  'drivers/net/bonding/bond_main.c',
  'drivers/net/tap.c',
  'drivers/net/veth.c',
  'include/linux/ptr_ring.h',
  'include/linux/skb_array.h',
  'include/net/xdp_sock.h',
  'include/net/xdp_sock_drv.h',
  'include/trace/events/napi.h',
  'include/trace/events/net.h',
  'include/trace/events/skb.h',
  'kernel/sched/fair.c',
  'net/bridge/br_input.c',
  'net/core/dev.c',
  'net/core/skbuff.c',
  'net/ipv4/icmp.c',
  'net/ipv4/ping.c',
  'net/ipv4/raw.c',
  'net/packet/af_packet.c',
  'net/xdp/xsk.c',
  'net/xdp/xsk.h',
  'net/xdp/xsk_buff_pool.c',
  'net/xdp/xsk_queue.h',
];

function sh(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`${what} failed (${cmd} ${args.join(' ')} exited ${r.status ?? r.signal})`);
}

function findTarball() {
  if (!existsSync('/usr/src')) return null;
  const f = readdirSync('/usr/src').find((n) => n.startsWith(`${PACKAGE}.tar.`));
  return f ? join('/usr/src', f) : null;
}

/** /usr/src/linux-source-6.1.tar.*; installs the package (apt-get, as root) when it is missing. */
export function linuxTarball() {
  const found = findTarball();
  if (found) return found;
  // As root directly, otherwise through sudo (as scripts/test-all.sh installs its packages).
  const apt = [...(process.getuid?.() === 0 ? [] : ['sudo']), 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', '-o', 'DPkg::Lock::Timeout=600'];
  console.error(`installing ${PACKAGE} (apt-get) ...`);
  sh(apt[0], [...apt.slice(1), 'update', '-qq'], 'apt-get update');
  sh(apt[0], [...apt.slice(1), 'install', '-y', '-qq', '--no-install-recommends', PACKAGE], `apt-get install ${PACKAGE}`);
  const tar = findTarball();
  if (!tar) throw new Error(`${PACKAGE} installed but no /usr/src/${PACKAGE}.tar.* found`);
  return tar;
}

/**
 * Unpacks `members` (paths under the tarball's one top folder, or all of it when null) of the
 * tarball into `dest`, through a temp folder beside it; `marker` (a path inside the tree) proves
 * an earlier run finished.
 */
export function unpackLinux(dest, members, marker) {
  if (existsSync(join(dest, marker))) return resolve(dest);
  const tar = linuxTarball();
  const tmp = join(dirname(dest), `.${PACKAGE}.unpacking`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  console.error(`unpacking ${tar} into ${dest} ...`);
  // The tarball holds one top folder, linux-source-6.1/.
  sh('tar', ['-xf', tar, '-C', tmp, ...(members ?? []).map((m) => `${PACKAGE}/${m}`)], `unpacking ${tar}`);
  const top = readdirSync(tmp);
  if (top.length !== 1) throw new Error(`${tar}: expected one top folder, found ${top.join(', ')}`);
  rmSync(dest, { recursive: true, force: true });
  renameSync(join(tmp, top[0]), dest);
  rmSync(tmp, { recursive: true, force: true });
  return resolve(dest);
}

/** sample/linux-6.1 with FILES in it (absolute path). */
export function ensureKernelSource() {
  mkdirSync(dirname(KERNEL_SOURCE), { recursive: true });
  // The last file of the list (tar extracts in archive order, but the rename is the last step).
  return unpackLinux(KERNEL_SOURCE, FILES, FILES[FILES.length - 1]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureKernelSource());
