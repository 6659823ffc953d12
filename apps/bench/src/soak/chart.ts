// A hand-written SVG of the soak: RSS, heap and p99 latency over time, one panel each, with the
// phases marked. A leak shows as a line that keeps climbing across phases.

export interface Series {
  title: string;
  unit: string;
  color: string;
  points: Array<[number, number]>; // [seconds since start, value]
}

export interface PhaseMark {
  name: string;
  start: number; // seconds since start
}

const width = 900;
const panelHeight = 170;
const left = 70;
const right = 20;
const top = 30;
const gap = 40;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function soakChart(title: string, series: readonly Series[], phases: readonly PhaseMark[], duration: number): string {
  const plotWidth = width - left - right;
  const height = top + series.length * (panelHeight + gap) + 10;
  const x = (t: number) => left + (duration > 0 ? (t / duration) * plotWidth : 0);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  series.forEach((s, i) => {
    const y0 = top + i * (panelHeight + gap) + 16;
    const max = niceMax(Math.max(0, ...s.points.map(([, v]) => v)));
    const y = (v: number) => y0 + panelHeight - (v / max) * panelHeight;
    out.push(`<text x="${left}" y="${y0 - 4}" font-weight="bold">${escape(s.title)} (${escape(s.unit)})</text>`);
    out.push(`<rect x="${left}" y="${y0}" width="${plotWidth}" height="${panelHeight}" fill="none" stroke="#999"/>`);
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      out.push(`<line x1="${left}" x2="${left + plotWidth}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/>`);
      out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${Number(v.toFixed(1))}</text>`);
    }
    for (const phase of phases) {
      out.push(`<line x1="${x(phase.start)}" x2="${x(phase.start)}" y1="${y0}" y2="${y0 + panelHeight}" stroke="#bbb" stroke-dasharray="4 3"/>`);
      if (i === 0) out.push(`<text x="${x(phase.start) + 3}" y="${y0 + 12}" fill="#666">${escape(phase.name)}</text>`);
    }
    if (s.points.length > 0) {
      const path = s.points.map(([t, v], k) => `${k === 0 ? 'M' : 'L'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="1.5"/>`);
    }
    out.push(`<text x="${left + plotWidth}" y="${y0 + panelHeight + 14}" text-anchor="end" fill="#666">${duration.toFixed(0)} s</text>`);
    out.push(`<text x="${left}" y="${y0 + panelHeight + 14}" fill="#666">0 s</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
