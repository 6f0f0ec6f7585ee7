// Writes two ftrace texts with the same number of event lines, one where every comm and event
// name is new and chosen to collide in 32-bit FNV-1a (the string table's former hash), one with
// random names of the same length. Run by bench/strings.bench.mjs, bundled first:
//   node bench/data/strings-make-traces.cjs COLLIDING_OUT RANDOM_OUT LINES
import { writeFileSync } from 'node:fs';
import { fnvCollidingNames } from '../test/helpers/fnv-collisions';

function main(): void {
  const [collidingOut, randomOut, linesArg] = process.argv.slice(2);
  if (!collidingOut || !randomOut) throw new Error('usage: strings-make-traces COLLIDING_OUT RANDOM_OUT LINES');
  const lines = Number(linesArg ?? 60_000);
  // 2 names per line: the low 20 bits cover tables up to 2^20 slots (500 k names).
  const colliding = fnvCollidingNames(2 * lines, 20, 1);
  let x = 12345;
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const random = colliding.map((n) =>
    Array.from(n, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return alphabet[(x >>> 0) % alphabet.length];
    }).join(''),
  );
  const trace = (names: string[]): string => {
    const out = ['# tracer: nop\n#\n'];
    for (let i = 0; i < lines; i++) {
      const us = 100_000_000 + i * 7;
      const ts = `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
      out.push(`${(names[2 * i] as string).padStart(16)}-${1000 + (i % 30000)}   [00${i % 4}] d..2.  ${ts}: ${names[2 * i + 1]}: comm=x pid=${i} prio=120\n`);
    }
    return out.join('');
  };
  writeFileSync(collidingOut, trace(colliding));
  writeFileSync(randomOut, trace(random));
}

main();
