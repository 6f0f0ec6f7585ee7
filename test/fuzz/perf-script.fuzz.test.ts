// Mutation fuzzing of the perf script reader over real fixtures (see test/helpers/text-formats.ts).
import { PerfScriptReader } from '../../src/core/formats/perf-script/reader';
import { corpusPath, fuzzSuite } from '../helpers/text-formats';

fuzzSuite(
  'perf-script',
  ['test/fixtures/perf/net-ping-callchain.perf', 'test/fixtures/perf/net-ping-header.perf', corpusPath('perf/speedscope-simple-with-pid.linux-perf.txt')],
  () => new PerfScriptReader({ maxLineBytes: 4096 }),
  [0x00, 0xff, 0x0a, 0x20, 0x09, 0x3a, 0x23, 0x28],
);
