// `npm run bench`: runs every bench/*.bench.mjs in turn (each measures ktl against its peer
// tool on the same file in the same run and prints its ratios). Pass names to run only some:
//   npm run bench -- ftrace
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.mjs$/, '')))
  .sort();
if (benches.length === 0) {
  console.error(`no benchmarks match ${only.join(' ')}`);
  process.exit(2);
}
spawnSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
let failed = false;
for (const b of benches) {
  console.log(`\n=== bench ${b}`);
  const r = spawnSync(process.execPath, [`bench/${b}`], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
