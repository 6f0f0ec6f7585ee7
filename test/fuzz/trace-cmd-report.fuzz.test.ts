// Mutation fuzzing of the trace-cmd report reader over real fixtures (see test/helpers/text-formats.ts).
import { TraceCmdReportReader } from '../../src/core/formats/trace-cmd-report/reader';
import { corpusPath, fuzzSuite } from '../helpers/text-formats';

fuzzSuite(
  'trace-cmd-report',
  ['test/fixtures/trace-cmd-report/veth-ping-latency.report', corpusPath('trace-cmd/trappy-raw_trace.txt'), corpusPath('trace-cmd/trappy-trace_failed_to_parse.txt')],
  () => new TraceCmdReportReader({ maxLineBytes: 4096 }),
  [0x00, 0xff, 0x0a, 0x20, 0x5b, 0x3a, 0x09],
);
