/**
 * What the timeline's colours mean: the busiest events (each has its own palette colour,
 * tracks/colours.ts rankEventColours) with their counts, "other events" for the rest, and the
 * lost-events mark when the trace has gaps. Event names are trace text: textContent only.
 */
import type { TraceSummary } from '../src/protocol/messages';
import { el, setTitle } from './dom';
import { formatCount } from './format';
import { colourOf, EVENT_COLOURS } from './tracks/colours';

export class TimelineLegend {
  readonly element = el('div', 'ktl-tl-legend');

  constructor() {
    this.element.id = 'timeline-legend';
    this.element.setAttribute('aria-label', 'Timeline colours');
  }

  /** Call after rankEventColours(s.eventCounts), so the swatches are the colours the tracks use. */
  set(s: TraceSummary): void {
    const top = [...s.eventCounts].sort((a, b) => b.count - a.count).slice(0, EVENT_COLOURS);
    const chips = top.map((e) => {
      const chip = el('span', 'ktl-tl-chip');
      chip.dataset.event = e.name;
      chip.dataset.colour = String(colourOf(e.name));
      setTitle(chip, `${e.name}: ${formatCount(e.count)} events`);
      chip.append(el('span', `ktl-lc-swatch ktl-ev-c${colourOf(e.name)}`), el('span', 'ktl-tl-chip-name', e.name), el('span', 'ktl-muted', formatCount(e.count)));
      return chip;
    });
    const rest = s.eventCounts.length - top.length;
    if (rest > 0) {
      const other = el('span', 'ktl-tl-chip ktl-muted', `+${formatCount(rest)} other event${rest === 1 ? '' : 's'} (colours shared)`);
      other.dataset.other = String(rest);
      chips.push(other);
    }
    const gaps = s.gaps?.length ?? 0;
    if (gaps > 0) {
      const chip = el('span', 'ktl-tl-chip');
      chip.dataset.gaps = String(gaps);
      setTitle(chip, 'CPU:N [LOST M EVENTS] and "CPU N buffer started": the CPU\'s events there are not in the trace');
      chip.append(el('span', 'ktl-tl-gap-swatch'), el('span', '', `events lost (${formatCount(gaps)})`));
      chips.push(chip);
    }
    this.element.replaceChildren(...chips);
    this.element.hidden = chips.length === 0;
  }
}
