// The department heatmap's cells travel as one string of numbers,
// "row,column,holders,outlier,row,column,…": at 1,000 departments × 500
// permissions, 500,000 small arrays cost superjson about a second to walk on
// each answer, a string almost nothing. Pure: the page unpacks with the same module.

/** One cell: department row, permission column (indices into the answer's lists), holders, outlier (1) or not (0). */
export type THeatmapCell = [number, number, number, 0 | 1];

export function packCells(cells: readonly THeatmapCell[]): string {
  return cells.map((cell) => cell.join(",")).join(",");
}

/** The packed numbers, four per cell, without building 2,000,000 strings first. */
export function unpackCellNumbers(packed: string): Int32Array {
  if (packed === "") return new Int32Array(0);
  let count = 1;
  for (let index = 0; index < packed.length; index += 1) if (packed.charCodeAt(index) === 44) count += 1;
  const numbers = new Int32Array(count);
  let at = 0;
  let value = 0;
  for (let index = 0; index < packed.length; index += 1) {
    const code = packed.charCodeAt(index);
    if (code === 44) {
      numbers[at++] = value;
      value = 0;
    } else value = value * 10 + (code - 48);
  }
  numbers[at] = value;
  return numbers;
}

export function unpackCells(packed: string): THeatmapCell[] {
  const numbers = unpackCellNumbers(packed);
  const cells: THeatmapCell[] = [];
  for (let index = 0; index + 3 < numbers.length; index += 4) {
    cells.push([numbers[index]!, numbers[index + 1]!, numbers[index + 2]!, numbers[index + 3] === 1 ? 1 : 0]);
  }
  return cells;
}
