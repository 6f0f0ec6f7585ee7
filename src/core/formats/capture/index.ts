/** Packet captures, pcap and pcapng: their entries in the registry. */
import type { Trace } from '../../trace/trace';
import type { FormatSpec } from '../registry';
import { PcapReader, sniffPcap } from './pcap';
import { PcapngReader, sniffPcapng } from './pcapng';
import { decodeCapturePayload } from './decode';

/** A packet's one-line summary (tcpdump style), as the table shows it. */
function captureText(trace: Trace, i: number): string {
  return decodeCapturePayload(trace, i).fields.summary ?? '';
}

// Captures (binary, recognised by their magic numbers) come before the text formats.
export const PCAP: FormatSpec = {
  id: 'pcap',
  lineKind: 'packet',
  sniff: (head) => sniffPcap(head),
  createReader: () => new PcapReader(),
  decode: decodeCapturePayload,
  text: captureText,
};

export const PCAPNG: FormatSpec = {
  id: 'pcapng',
  lineKind: 'packet',
  sniff: (head) => sniffPcapng(head),
  createReader: () => new PcapngReader(),
  decode: decodeCapturePayload,
  text: captureText,
};
