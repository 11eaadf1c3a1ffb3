// An outlier cell: a permission that almost nobody else in the department
// holds, so the few who do are worth a look (a leftover grant, a one-off
// exception). Both limits must hold: at most OUTLIER_MAX_HOLDERS members AND
// at most OUTLIER_MAX_SHARE of the department's members who can sign in.
// (In a department of 10, 1 holder is 10%: not an outlier; in one of 40+, it is.)
// Pure, shared by the services and the chart's legend.

export const OUTLIER_MAX_HOLDERS = 2;
export const OUTLIER_MAX_SHARE = 0.05;

export function isOutlierCell(holders: number, members: number): boolean {
  return holders > 0 && members > 0 && holders <= OUTLIER_MAX_HOLDERS && holders / members <= OUTLIER_MAX_SHARE;
}
