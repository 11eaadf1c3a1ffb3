import { describe, expect, it } from "vitest";
import { countTicks, niceCeiling, shortDay } from "@/components/charts/chart-scale";
import { formatDuration } from "@/components/status/format-duration";

describe("the status overview's chart scale and durations", () => {
  it("tops a count axis at 1, 2 or 5 × 10ⁿ, at least 1, with whole ticks", () => {
    expect([0, 1, 2, 3, 7, 10, 11, 49, 51, 999, 1001].map(niceCeiling)).toEqual([1, 1, 2, 5, 10, 10, 20, 50, 100, 1000, 2000]);
    expect(niceCeiling(Number.NaN)).toBe(1);
    expect(countTicks(1)).toEqual([0, 1]);
    expect(countTicks(20)).toEqual([0, 10, 20]);
    expect(countTicks(5)).toEqual([0, 5]);
  });

  it("names UTC days shortly and leaves anything else as it is", () => {
    expect(shortDay("2026-12-04")).toBe("4 Dec");
    expect(shortDay("not a day")).toBe("not a day");
  });

  it("writes session time in hours and minutes, rounded down", () => {
    expect(formatDuration(0)).toBe("0 min");
    expect(formatDuration(30)).toBe("under a minute");
    expect(formatDuration(59 * 60 + 59)).toBe("59 min");
    expect(formatDuration(3 * 3600 + 5 * 60)).toBe("3 h 05 min");
    expect(formatDuration(1000 * 3600)).toBe("1,000 h 00 min");
  });
});
