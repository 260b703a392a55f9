const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

export interface Scale {
  min: number;
  max: number;
}

/** The scale that fits every series given, so two sparklines drawn with it compare directly. */
export function scaleOf(...series: readonly number[][]): Scale {
  const all = series.flat().filter(Number.isFinite);
  if (all.length === 0) return { min: 0, max: 1 };
  return { min: Math.min(...all), max: Math.max(...all) };
}

/** The block that stands for `value` on `scale`. */
export function block(value: number, scale: Scale): string {
  const range = scale.max - scale.min;
  if (range <= 0) return BLOCKS[3];
  const level = Math.round(((value - scale.min) / range) * (BLOCKS.length - 1));
  return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))];
}

/** The newest `width` values as blocks, oldest on the left. */
export function sparkline(values: readonly number[], width: number, scale: Scale = scaleOf([...values])): string {
  if (width <= 0) return '';
  return values.slice(-width).map((value) => block(value, scale)).join('');
}
