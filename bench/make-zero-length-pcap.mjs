// Writes a pcap of zero-length records for the memory-budget check (issue 10, item 5): a
// 24-byte pcap header, then zeros up to SIZE bytes. Every 16 zero bytes read as one record
// header with timestamp 0, caplen 0 and len 0, so the file is almost all packets (SIZE / 16 of
// them: 600 MB = 39 M packets) while costing no disk (the zeros are a hole: a sparse file).
// Usage: node bench/make-zero-length-pcap.mjs OUT [SIZE_BYTES]   (default 600 MB; put it under
// bench/data/, which git ignores). Then:
//   /usr/bin/time -v node dist/cli.js stats OUT --max-memory 512M
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

const [out, sizeArg] = process.argv.slice(2);
if (!out) throw new Error('usage: node bench/make-zero-length-pcap.mjs OUT [SIZE_BYTES]');
const size = Number(sizeArg ?? 600 * 1000 * 1000);
const head = Buffer.alloc(24);
head.writeUInt32LE(0xa1b2c3d4, 0); // µs pcap, little-endian
head.writeUInt16LE(2, 4);
head.writeUInt16LE(4, 6);
head.writeUInt32LE(262144, 16); // snaplen
head.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
const fd = openSync(out, 'w');
writeSync(fd, head);
ftruncateSync(fd, size);
closeSync(fd);
console.log(`${out}: ${size} bytes, ${Math.floor((size - 24) / 16)} zero-length records`);
