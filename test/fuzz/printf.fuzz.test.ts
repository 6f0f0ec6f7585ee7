// Mutation fuzzing of the printf-style reader, with and without a user pattern.
import { PrintfReader } from '../../src/core/formats/printf/reader';
import { fuzzSuite } from '../helpers/text-formats';

fuzzSuite('printf', ['test/fixtures/printf/bpftrace-net-kv.txt'], () => new PrintfReader({ maxLineBytes: 4096 }), [0x00, 0xff, 0x0a, 0x20, 0x3d]);
fuzzSuite(
  'printf (pattern)',
  ['test/fixtures/printf/bpftrace-net-columns.txt'],
  () => new PrintfReader({ maxLineBytes: 4096, pattern: '^(?<ts>\\d+)\\s+(?<cpu>\\d+)\\s+(?<pid>\\d+)\\s+(?<comm>\\S+)\\s+(?<event>\\S+)\\s+(?<dev>\\S+)\\s+(?<len>\\d+)$', tsUnit: 'us' }),
  [0x00, 0xff, 0x0a, 0x20, 0x39],
);
