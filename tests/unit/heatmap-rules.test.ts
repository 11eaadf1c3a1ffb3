import { describe, expect, it } from "vitest";
import { bandOf, formatShare, SHARE_BANDS } from "@/components/heatmap/heatmap-scale";
import { isOutlierCell, OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE } from "@/server/heatmap/outlier-rule";
import { packCells, unpackCellNumbers, unpackCells, type THeatmapCell } from "@/server/heatmap/packed-cells";

describe("an outlier cell", () => {
  it("is held by at most OUTLIER_MAX_HOLDERS members who are at most OUTLIER_MAX_SHARE of the department", () => {
    expect([OUTLIER_MAX_HOLDERS, OUTLIER_MAX_SHARE]).toEqual([2, 0.05]);
    expect(isOutlierCell(1, 40)).toBe(true);
    expect(isOutlierCell(2, 40)).toBe(true); // exactly 5%
    expect(isOutlierCell(2, 39)).toBe(false); // 5.1%
    expect(isOutlierCell(1, 10)).toBe(false); // 10%: common enough in a small department
    expect(isOutlierCell(3, 1000)).toBe(false); // three holders are a pattern, not a one-off
    expect(isOutlierCell(0, 100)).toBe(false);
    expect(isOutlierCell(1, 0)).toBe(false);
  });
});

describe("the heatmap's colour scale", () => {
  it("puts every share in one band, and never prints a held cell as 0%", () => {
    expect([0.01, 0.2, 0.2001, 0.206, 0.5, 0.8, 1].map((share) => bandOf(share).label)).toEqual(["1–20%", "1–20%", "1–20%", "21–40%", "41–60%", "61–80%", "81–100%"]);
    expect(SHARE_BANDS).toHaveLength(5);
    expect([0, 0.004, 0.3, 1].map(formatShare)).toEqual(["0%", "<1%", "30%", "100%"]);
  });
});

describe("the packed cells", () => {
  it("round-trip, empty included", () => {
    const cells: THeatmapCell[] = [
      [0, 0, 1, 1],
      [0, 499, 123456, 0],
      [999, 7, 2, 1],
    ];
    expect(packCells(cells)).toBe("0,0,1,1,0,499,123456,0,999,7,2,1");
    expect(unpackCells(packCells(cells))).toEqual(cells);
    expect(unpackCells(packCells([]))).toEqual([]);
    expect([...unpackCellNumbers("10,0,3,0")]).toEqual([10, 0, 3, 0]);
  });
});
