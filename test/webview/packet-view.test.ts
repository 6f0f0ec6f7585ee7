/**
 * A capture in the trace editor's webview (headless Chromium), fed by the worker's own services
 * over real captures made on this machine (test/fixtures/pcap, see test/fixtures/README.md):
 * the packet details tree shows the decoder's layers and fields of the selected packet (values
 * cross-checked against tshark's decode of the same file, test/fixtures/pcap/expected), the hex
 * view shows the packet's bytes as they are in the file, a field selected in the tree
 * highlights exactly its bytes, a byte clicked selects the innermost field covering it, both
 * panes work from the keyboard, and the findings panel lists `ktl findings` and selects a
 * finding's packet. Interfaces are named from the pcapng's IDBs.
 *
 * Needs `npm run build` first (dist/webview.js + dist/webview.css).
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { HostToWebview, TraceSummary, WebviewToHost } from '../../src/protocol/messages';
import { TraceService } from '../../src/worker/trace-service';
import { captureFindings, packetDetails } from '../../src/worker/packet-service';
import { packetJourney } from '../../src/worker/journey-service';
import type { Trace } from '../../src/core/trace/trace';
import { ROOT, assertBuilt, cspViolations, launch, openWebview, type WebviewPage } from './harness';
import { ServiceHost } from './service-host';

const PCAP = join(ROOT, 'test', 'fixtures', 'pcap', 'host-a.pcap');
const PCAPNG = join(ROOT, 'test', 'fixtures', 'pcap', 'bridge-multi.pcapng');
const BIG = join(ROOT, 'test', 'fixtures', 'pcap', 'loopback-big-udp.pcap');
const TSHARK = join(ROOT, 'test', 'fixtures', 'pcap', 'expected', 'host-a.pcap.tshark.tsv');
const SHOTS = join(ROOT, 'test-output', 'webview');
const WAIT_MS = 10_000;

/** The shared host, plus the worker's packet details, findings and journeys. */
class CaptureHost extends ServiceHost {
  constructor(
    service: TraceService,
    trace: Trace,
    fileName: string,
    /** The other captures of the "workspace" a journey searches. */
    private readonly others: readonly { path: string; name: string }[] = [],
  ) {
    super(service, trace, fileName);
  }

  protected override async answer(msg: WebviewToHost, send: (m: HostToWebview) => Promise<void>): Promise<void> {
    switch (msg.type) {
      case 'packet':
        await send({ type: 'packet', requestId: msg.requestId, packet: packetDetails(this.trace, msg.index) });
        return;
      case 'findings':
        await send({ type: 'findings', requestId: msg.requestId, ...(await captureFindings(this.trace, this.fileName)) });
        return;
      case 'journey':
        await send({ type: 'journey', requestId: msg.requestId, ...(await packetJourney(this.trace, msg.index, this.fileName, this.others)) });
        return;
      default:
        await super.answer(msg, send);
    }
  }
}

interface Loaded {
  service: TraceService;
  trace: Trace;
  summary: TraceSummary;
  fileName: string;
}

async function load(path: string): Promise<Loaded> {
  const service = await TraceService.open(path);
  const trace = await service.withTrace(async (t) => t);
  const fileName = path.split('/').pop() ?? path;
  return { service, trace, summary: service.summary(fileName), fileName };
}

/** tshark's decode of host-a.pcap: frame number -> field -> value. */
function tsharkRows(): Map<number, Map<string, string>> {
  const lines = readFileSync(TSHARK, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
  const header = (lines[0] as string).split('\t');
  const out = new Map<number, Map<string, string>>();
  for (const line of lines.slice(1)) {
    const cols = line.split('\t');
    const m = new Map<string, string>();
    header.forEach((h, k) => {
      if (cols[k]) m.set(h, cols[k] as string);
    });
    out.set(Number(m.get('frame.number')), m);
  }
  return out;
}

/** Packet bytes straight from the pcap file: 24-byte file header, 16-byte record headers (µs, little-endian). */
function pcapPacketBytes(path: string, number: number): Uint8Array {
  const b = readFileSync(path);
  let off = 24;
  for (let n = 1; off + 16 <= b.length; n++) {
    const caplen = b.readUInt32LE(off + 8);
    if (n === number) return new Uint8Array(b.subarray(off + 16, off + 16 + caplen));
    off += 16 + caplen;
  }
  throw new Error(`no packet ${number} in ${path}`);
}

interface TreeItem {
  kind: 'layer' | 'field';
  name: string;
  value: string;
  offset: number;
  length: number;
  selected: boolean;
  expanded: string | null;
  visible: boolean;
}

async function treeItems(page: Page): Promise<TreeItem[]> {
  return page.$$eval('#packet-tree [role=treeitem]', (items) =>
    items.map((i) => {
      const e = i as HTMLElement;
      return {
        kind: e.dataset.layer !== undefined ? ('layer' as const) : ('field' as const),
        name: e.dataset.layer ?? e.dataset.field ?? '',
        value: e.querySelector('.ktl-pt-value')?.textContent ?? '',
        offset: Number(e.dataset.offset),
        length: Number(e.dataset.length),
        selected: e.getAttribute('aria-selected') === 'true',
        expanded: e.getAttribute('aria-expanded'),
        visible: e.offsetParent !== null,
      };
    }),
  );
}

async function selectedItem(page: Page): Promise<TreeItem | undefined> {
  return (await treeItems(page)).find((i) => i.selected);
}

/** Offsets of the highlighted hex cells, and their text (two hex digits each). */
async function highlighted(page: Page): Promise<{ offsets: number[]; hex: string[]; text: string[] }> {
  return page.evaluate(() => ({
    offsets: Array.from(document.querySelectorAll<HTMLElement>('#packet-hex .ktl-hex-b.ktl-hl')).map((e) => Number(e.dataset.offset)),
    hex: Array.from(document.querySelectorAll<HTMLElement>('#packet-hex .ktl-hex-b.ktl-hl')).map((e) => e.textContent ?? ''),
    text: Array.from(document.querySelectorAll<HTMLElement>('#packet-hex .ktl-hex-c.ktl-hl')).map((e) => e.textContent ?? ''),
  }));
}

async function waitPacket(page: Page, number: number): Promise<void> {
  await page.waitForFunction((n) => document.getElementById('packet-details')?.dataset.packet === String(n) && document.querySelector('#packet-tree [role=treeitem]') !== null, number, {
    timeout: WAIT_MS,
  });
}

function range(a: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => a + k);
}

describe('capture webview: packet details, bytes, findings (Chromium, real captures)', () => {
  let browser: Browser;
  let pcap: Loaded;
  let pcapng: Loaded;
  const open: WebviewPage[] = [];

  async function openCapture(c: Loaded, others: readonly { path: string; name: string }[] = []): Promise<WebviewPage> {
    const w = await openWebview(browser, new CaptureHost(c.service, c.trace, c.fileName, others));
    open.push(w);
    await w.page.waitForSelector('#summary-events[data-value]', { timeout: WAIT_MS });
    await w.page.waitForSelector('#event-table .ktl-row[data-line]:not([hidden])', { timeout: WAIT_MS });
    return w;
  }

  /** Selects packet `number` in the table from the keyboard (Home, then Down), as a user would. */
  async function selectRow(page: Page, number: number): Promise<void> {
    await page.focus('#event-table');
    await page.keyboard.press('Home');
    for (let k = 1; k < number; k++) await page.keyboard.press('ArrowDown');
    await waitPacket(page, number);
  }

  async function assertClean(w: WebviewPage, c: Loaded = pcap): Promise<void> {
    assert.deepEqual(await cspViolations(w.page), [], 'CSP violations');
    assert.deepEqual(w.errors, [], 'page errors');
    assert.deepEqual(w.invalid, [], 'messages failing isWebviewToHost');
    // Packets are asked for one at a time, only for rows the table has shown.
    for (const m of w.posted) if (m.type === 'packet') assert.ok(m.index < c.trace.length, `packet index ${m.index}`);
  }

  before(async () => {
    assertBuilt();
    mkdirSync(SHOTS, { recursive: true });
    browser = await launch();
    pcap = await load(PCAP);
    pcapng = await load(PCAPNG);
  });

  after(async () => {
    for (const w of open) await w.close().catch(() => undefined);
    await browser?.close();
    pcap?.service.dispose();
    pcapng?.service.dispose();
  });

  it('the tree shows the real layers and fields of the selected packet, as the decoder and tshark have them', async () => {
    const w = await openCapture(pcap);
    const page = w.page;
    assert.equal(await page.isVisible('#packet-details'), true, 'packet pane shown for a capture');
    // Packet 12: the first ICMP echo request A -> B (see `ktl packets`).
    const number = 12;
    await selectRow(page, number);
    const p = packetDetails(pcap.trace, number - 1);
    assert.match(p.summary, /ICMP echo request/);
    const items = await treeItems(page);
    assert.deepEqual(
      items.filter((i) => i.kind === 'layer').map((i) => [i.name, i.offset, i.length]),
      p.layers.map((l) => [l.name, l.offset, l.length]),
    );
    assert.deepEqual(['eth', 'ip', 'icmp'], p.layers.map((l) => l.name));
    assert.deepEqual(
      items.filter((i) => i.kind === 'field').map((i) => [i.name, i.value, i.offset, i.length]),
      p.layers.flatMap((l) => l.fields.map((f) => [f.name, f.value, f.offset, f.length])),
    );
    // Values against tshark's decode of the same frame (written once by make-expected.sh).
    const t = tsharkRows().get(number);
    assert.ok(t, 'tshark row');
    const shown = new Map(items.filter((i) => i.kind === 'field').map((i) => [i.name, i.value]));
    for (const name of ['eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ip.ttl', 'icmp.type', 'icmp.ident', 'icmp.seq']) {
      const theirs = t.get(name);
      assert.ok(theirs !== undefined, `tshark has ${name}`);
      assert.equal(shown.get(name), theirs, name);
    }
    // Header: packet number, interface, lengths, the summary as text.
    const head = (await page.textContent('#packet-head')) ?? '';
    assert.ok(head.includes(`Packet ${number}`) && head.includes(p.summary) && head.includes(`${p.caplen} of ${p.len} bytes`), head);
    await assertClean(w);
  });

  it('the hex view shows the bytes as in the file, and a field selected in the tree highlights exactly its bytes', async () => {
    const w = await openCapture(pcap);
    const page = w.page;
    const number = 12;
    await selectRow(page, number);
    const file = pcapPacketBytes(PCAP, number);
    const cells = await page.$$eval('#packet-hex .ktl-hex-b', (es) => es.map((e) => [Number((e as HTMLElement).dataset.offset), e.textContent ?? '']));
    assert.equal(cells.length, file.length);
    assert.deepEqual(
      cells,
      [...file].map((b, k) => [k, b.toString(16).padStart(2, '0')]),
    );
    const ascii = await page.$$eval('#packet-hex .ktl-hex-c', (es) => es.map((e) => e.textContent ?? '').join(''));
    assert.equal(ascii, [...file].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join(''));

    // ip.src: four bytes at 26 in an Ethernet frame; the highlighted bytes read back as the address.
    await page.click('#packet-tree [data-field="ip.src"]');
    const src = await selectedItem(page);
    assert.equal(src?.name, 'ip.src');
    const hl = await highlighted(page);
    assert.deepEqual(hl.offsets, range(src?.offset ?? -1, 4));
    assert.equal(src?.offset, 26);
    assert.equal(hl.hex.map((h) => parseInt(h, 16)).join('.'), src?.value);
    assert.equal(hl.text.length, 4);
    // A layer highlights its whole header.
    await page.click('#packet-tree [data-layer="ip"] .ktl-pt-title');
    assert.deepEqual((await highlighted(page)).offsets, range(14, 20));
    await page.screenshot({ path: join(SHOTS, 'packet-details.png') });
    await assertClean(w);
  });

  it('a byte clicked in the hex view selects the innermost field covering it', async () => {
    const w = await openCapture(pcap);
    const page = w.page;
    await selectRow(page, 12);
    const p = packetDetails(pcap.trace, 11);
    const ttl = p.layers.flatMap((l) => l.fields).find((f) => f.name === 'ip.ttl');
    assert.ok(ttl);
    await page.click(`#packet-hex .ktl-hex-b[data-offset="${ttl.offset}"]`);
    assert.equal((await selectedItem(page))?.name, 'ip.ttl');
    assert.deepEqual((await highlighted(page)).offsets, [ttl.offset]);
    // The ICMP sequence number (2 bytes at 40): its second byte, clicked in the text column.
    await page.click('#packet-hex .ktl-hex-c[data-offset="41"]');
    assert.equal((await selectedItem(page))?.name, 'icmp.seq');
    assert.deepEqual((await highlighted(page)).offsets, [40, 41]);
    // A payload byte no field covers selects the innermost layer holding it (ICMP).
    await page.click('#packet-hex .ktl-hex-b[data-offset="60"]');
    const sel = await selectedItem(page);
    assert.equal(sel?.kind, 'layer');
    assert.equal(sel?.name, 'icmp');
    await assertClean(w);
  });

  it('the tree and the bytes work from the keyboard', async () => {
    const w = await openCapture(pcap);
    const page = w.page;
    await selectRow(page, 12);
    await page.focus('#packet-tree');
    await page.keyboard.press('Home');
    assert.equal((await selectedItem(page))?.name, 'eth');
    await page.keyboard.press('ArrowDown');
    assert.equal((await selectedItem(page))?.name, 'eth.dst');
    assert.deepEqual((await highlighted(page)).offsets, range(0, 6));
    await page.keyboard.press('ArrowLeft'); // to the parent layer
    assert.equal((await selectedItem(page))?.name, 'eth');
    await page.keyboard.press('ArrowLeft'); // collapse it
    let eth = (await treeItems(page)).find((i) => i.name === 'eth');
    assert.equal(eth?.expanded, 'false');
    assert.equal((await treeItems(page)).find((i) => i.name === 'eth.src')?.visible, false);
    await page.keyboard.press('ArrowDown'); // the next layer, skipping the hidden fields
    assert.equal((await selectedItem(page))?.name, 'ip');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowRight'); // expand again
    eth = (await treeItems(page)).find((i) => i.name === 'eth');
    assert.equal(eth?.expanded, 'true');
    await page.keyboard.press('End');
    const last = packetDetails(pcap.trace, 11).layers.at(-1)?.fields.at(-1);
    assert.equal((await selectedItem(page))?.name, last?.name);

    // Bytes: Home puts the cursor on byte 0 (eth.dst), arrows move it a byte / a row at a time.
    await page.focus('#packet-hex');
    await page.keyboard.press('Home');
    assert.equal((await selectedItem(page))?.name, 'eth.dst');
    for (let k = 0; k < 6; k++) await page.keyboard.press('ArrowRight');
    assert.equal((await selectedItem(page))?.name, 'eth.src');
    await page.keyboard.press('ArrowDown'); // byte 22: ip.ttl
    assert.equal((await selectedItem(page))?.name, 'ip.ttl');
    assert.equal(await page.$$eval('#packet-hex .ktl-hex-b.ktl-hex-cursor', (es) => es.map((e) => (e as HTMLElement).dataset.offset).join()), '22');
    // The table keeps its own keys: Down there selects the next packet and the pane follows.
    await page.focus('#event-table');
    await page.keyboard.press('ArrowDown');
    await waitPacket(page, 13);
    // Enter on a packet row goes to its layers (a capture is not opened as text).
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'packet-tree');
    assert.equal((await selectedItem(page))?.name, 'eth');
    assert.ok(!w.posted.some((m) => m.type === 'revealLine'), 'no revealLine for a capture');
    await assertClean(w);
  });

  it('the findings panel lists what ktl findings reports, and a finding selects its packet', async () => {
    const w = await openCapture(pcap);
    const page = w.page;
    const expected = await captureFindings(pcap.trace, pcap.fileName);
    await page.waitForSelector('#findings-list .ktl-finding', { timeout: WAIT_MS });
    const shown = await page.$$eval('#findings-list .ktl-finding', (es) =>
      es.map((e) => [(e as HTMLElement).dataset.kind ?? '', (e as HTMLElement).dataset.packet ?? '', e.querySelector('.ktl-finding-message')?.textContent ?? '']),
    );
    assert.deepEqual(
      shown,
      expected.findings.map((f) => [f.kind, f.packet === null ? '' : String(f.packet), f.message]),
    );
    assert.ok(shown.some(([kind, packet]) => kind === 'ip-length-exceeds' && packet === '64'), 'seed 004: IPv4 total length exceeds packet length on packet 64');
    // Packet 64 is below the first screen of rows: the click scrolls the table to it.
    await page.click('#findings-list .ktl-finding[data-kind="ip-length-exceeds"]');
    await waitPacket(page, 64);
    await page.waitForFunction(() => (document.querySelector('#event-table .ktl-row[aria-selected="true"]') as HTMLElement | null)?.dataset.line === '64', null, { timeout: WAIT_MS });
    const problems = await page.$$eval('#packet-details .ktl-packet-problem', (es) => es.map((e) => (e as HTMLElement).dataset.kind));
    assert.deepEqual(problems, ['ip-length-exceeds']);
    // The field the problem is about: ip.len says 84, the frame holds 80 bytes after the link header.
    assert.equal((await treeItems(page)).find((i) => i.name === 'ip.len')?.value, '84');
    await page.screenshot({ path: join(SHOTS, 'capture-findings.png') });
    await assertClean(w);
  });

  it("an echo's journey across the other captures: hops in time order, last seen, expected next; a hop here selects its packet", async () => {
    const others = [
      { path: PCAPNG, name: 'bridge-multi.pcapng' },
      { path: join(ROOT, 'test', 'fixtures', 'pcap', 'host-b-egress-only.pcap'), name: 'host-b-egress-only.pcap' },
    ];
    const w = await openCapture(pcap, others);
    const page = w.page;
    // Packet 43: an echo request B ignored (icmp_echo_ignore_all): no capture has a reply.
    await page.click('#findings-list .ktl-finding[data-packet="43"]');
    await waitPacket(page, 43);
    await page.waitForSelector('#packet-journey[data-status]', { timeout: WAIT_MS });
    const expected = (await packetJourney(pcap.trace, 42, pcap.fileName, others)).journey;
    assert.ok(expected);
    assert.equal(await page.getAttribute('#packet-journey', 'data-status'), 'unanswered');
    const hops = await page.$$eval('#packet-journey .ktl-hop', (es) => es.map((e) => [(e as HTMLElement).dataset.file, Number((e as HTMLElement).dataset.packet), (e as HTMLElement).dataset.what, e.classList.contains('ktl-hop-last')]));
    assert.deepEqual(
      hops,
      expected.hops.map((h, k) => [h.file, h.packet, h.what, k === expected.lastSeen]),
    );
    assert.ok(hops.some(([file]) => file === 'bridge-multi.pcapng'), 'hops in the other capture');
    assert.equal(await page.textContent('#packet-journey .ktl-journey-next'), `Expected next: ${expected.expectedNext}`);

    // Holding Down across echoes asks for the journey of the packet it rests on, not of each one passed.
    await selectRow(page, 12);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForSelector('#packet-journey[data-status="answered"]', { timeout: WAIT_MS });
    const asked = w.posted.filter((m) => m.type === 'journey').map((m) => (m.type === 'journey' ? m.index : -1));
    assert.equal(asked.at(-1), 11);
    assert.ok(!asked.includes(12) && !asked.includes(13), `journeys asked for ${asked.join(', ')}`);
    // An answered echo (packet 12): its reply in this capture (packet 13) is a button that selects it.
    await page.waitForSelector('#packet-journey[data-status="answered"]', { timeout: WAIT_MS });
    assert.equal(await page.$('#packet-journey .ktl-journey-next'), null);
    await page.click('#packet-journey .ktl-hop[data-file="host-a.pcap"][data-packet="13"] button');
    await waitPacket(page, 13);
    await page.screenshot({ path: join(SHOTS, 'packet-journey.png') });
    // A TCP segment (packet 55, A's 8 data bytes): where it was seen and the ACKs covering it.
    await selectRow(page, 55);
    await page.waitForSelector('#packet-journey[data-status="answered"] .ktl-hop[data-what="ack"]', { timeout: WAIT_MS });
    const tcp = (await packetJourney(pcap.trace, 54, pcap.fileName, others)).journey;
    assert.deepEqual(
      await page.$$eval('#packet-journey .ktl-hop', (es) => es.map((e) => `${(e as HTMLElement).dataset.file} #${(e as HTMLElement).dataset.packet} ${(e as HTMLElement).dataset.what}`)),
      tcp?.hops.map((h) => `${h.file} #${h.packet} ${h.what}`),
    );
    // Neither an echo nor a TCP segment (ARP): no journey shown.
    await selectRow(page, 10);
    assert.equal(await page.isHidden('#packet-journey'), true);
    assert.ok(!w.posted.some((m) => m.type === 'journey' && m.index === 9), 'no journey asked for an ARP packet');
    await assertClean(w);
  });

  it('a packet larger than the hex view shows its first bytes and says how many it holds', async () => {
    const big = await load(BIG);
    try {
      const w = await openCapture(big);
      const page = w.page;
      await selectRow(page, 1);
      const p = packetDetails(big.trace, 0);
      assert.ok(p.caplen > p.bytes.length, 'the packet is cut for the webview');
      assert.equal(await page.locator('#packet-hex .ktl-hex-b').count(), p.bytes.length);
      assert.equal(await page.locator('#packet-hex .ktl-muted').innerText(), `first ${p.bytes.length} of ${p.caplen} captured bytes shown`);
      // Its header fields select and highlight as in any packet.
      await page.click('#packet-tree [data-field="udp.length"]');
      assert.deepEqual((await highlighted(page)).offsets, [38, 39]);
      await assertClean(w, big);
    } finally {
      big.service.dispose();
    }
  });

  it('a pcapng names its tracks and sidebar entries after its interfaces', async () => {
    const w = await openCapture(pcapng);
    const page = w.page;
    const names = pcapng.summary.interfaces?.map((i) => i.name) ?? [];
    assert.ok(names.includes('ktlbr0'), `interfaces named in the file: ${names.join(', ')}`);
    const labels = await page.$$eval('.ktl-tl-label', (es) => es.map((e) => e.textContent ?? ''));
    assert.deepEqual(
      labels,
      pcapng.summary.cpus.map((c) => pcapng.summary.interfaces?.find((i) => i.index === c)?.name),
    );
    const facets = await page.$$eval('#summary-cpu-list .ktl-facet-name', (es) => es.map((e) => e.textContent ?? ''));
    assert.deepEqual(facets.sort(), [...names].sort());
    assert.equal(await page.evaluate(() => document.querySelector('#summary-cpu-list')?.closest('section')?.querySelector('h2')?.firstChild?.textContent), 'Interfaces');
    // The header and sidebar speak of packets, interfaces and protocols: no CPUs, tracer, lost events or tasks.
    const header = await page.$$eval('.ktl-summary .ktl-kv-label', (es) => es.map((e) => e.textContent ?? ''));
    assert.deepEqual(header, ['format', 'packets', 'span', 'interfaces', 'parse errors']);
    assert.equal(await page.textContent('#summary-interfaces'), names.join(', '));
    assert.equal(await page.$('#summary-task-list'), null);
    assert.equal(await page.evaluate(() => document.querySelector('#summary-event-list')?.closest('section')?.querySelector('h2')?.firstChild?.textContent), 'Protocols');
    await page.screenshot({ path: join(SHOTS, 'capture-summary.png') });
    await assertClean(w, pcapng);
  });
});
