/**
 * The bench's plot: cold start ÷ the AWS SDK's floor and cost per million callbacks, per function, beside
 * the peer and the target, as one small SVG written by hand (no chart library, no network).
 */
interface PlotData {
  names: readonly string[];
  coldRatios: readonly number[];
  peerColdRatio: number;
  /** The light client's floor over the SDK's. */
  newFloorRatio: number;
  coldTarget: number;
  costs: readonly number[];
  peerCost: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** One horizontal bar chart: a bar per function, a dashed line per reference. */
function chart(
  title: string,
  top: number,
  names: readonly string[],
  values: readonly number[],
  references: { label: string; value: number }[],
  format: (value: number) => string,
  from = 0,
): string {
  const [left, width, row] = [110, 520, 18];
  const max = Math.max(...values, ...references.map((reference) => reference.value)) * 1.05;
  const x = (value: number) => left + ((value - from) / (max - from)) * width;
  const bars = names.map((name, index) => {
    const y = top + 24 + index * row;
    return (
      `<text x="${left - 6}" y="${y + 12}" text-anchor="end">${escape(name)}</text>` +
      `<rect x="${left}" y="${y + 2}" width="${(x(values[index]!) - left).toFixed(1)}" height="${row - 5}" fill="#4a7bd0"/>` +
      `<text x="${(x(values[index]!) + 4).toFixed(1)}" y="${y + 12}">${format(values[index]!)}</text>`
    );
  });
  const bottom = top + 24 + names.length * row;
  const lines = references.map(
    ({ label, value }, index) =>
      `<line x1="${x(value).toFixed(1)}" y1="${top + 20}" x2="${x(value).toFixed(1)}" y2="${bottom}" stroke="${index === 0 ? '#c0392b' : '#555'}" stroke-dasharray="4 3"/>` +
      `<text x="${(x(value) + 3).toFixed(1)}" y="${bottom + 14 + index * 14}" fill="${index === 0 ? '#c0392b' : '#555'}">${escape(label)} ${format(value)}</text>`,
  );
  return `<text x="10" y="${top + 14}" font-weight="bold">${escape(title)}</text>${bars.join('')}${lines.join('')}`;
}

/** The SVG of both charts. */
export function benchmarksSvg(data: PlotData): string {
  const height = 2 * (24 + data.names.length * 18 + 40) + 20;
  const second = 24 + data.names.length * 18 + 50;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="${height}" font-family="sans-serif" font-size="11">`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    chart(
      'Cold start ÷ the AWS SDK floor (median of the rounds)',
      0,
      data.names,
      data.coldRatios,
      [
        { label: 'target', value: data.coldTarget },
        { label: 'peer', value: data.peerColdRatio },
        { label: 'new floor', value: data.newFloorRatio },
      ],
      (value) => value.toFixed(2),
    ),
    chart(
      'Cost per million callbacks, USD (DynamoDB + Lambda)',
      second,
      data.names,
      data.costs,
      [{ label: 'peer', value: data.peerCost }],
      (value) => value.toFixed(2),
    ),
    '</svg>',
    '',
  ].join('\n');
}
