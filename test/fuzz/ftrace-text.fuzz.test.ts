// Mutation fuzzing of the ftrace text reader over the real fixtures: truncation, bit flips,
// byte runs (NUL, 0xff, no-break spaces, newlines), random chunking. The reader must never
// throw, never hang (the test has a timeout), keep issue positions inside the input, and every
// event it keeps must decode. A fixed seed makes a failure reproducible: the message names it.
import { FtraceTextReader } from '../../src/core/formats/ftrace/reader';
import { fuzzSuite } from '../helpers/text-formats';

const FILES = [
  'test/fixtures/ftrace/seed004-fifo-break.trace',
  'test/fixtures/ftrace/veth-ping-latency.trace',
  'test/fixtures/ftrace/lost-events-pipe.trace',
  'test/fixtures/ftrace/markers-hostile.trace',
  'test/fixtures/ftrace/veth-ping-tgid.trace',
  'test/fixtures/ftrace/veth-ping-systrace-page.trace',
];

// ftrace lines never hold two events.
fuzzSuite('ftrace', FILES, () => new FtraceTextReader({ maxLineBytes: 4096 }), [0x00, 0xff, 0x0a, 0x20, 0x5b, 0x3a], { eventsPerLine: 1, iterations: 60 });
