import Link from "next/link";
import type { TDepartmentHead } from "@/server/org/list-department-tree";

/** "Head: Ada Lovelace" / "Heads: Ada Lovelace, Alan Turing", each linking to the member. */
export function DepartmentHeads({ heads }: { heads: readonly TDepartmentHead[] }) {
  if (heads.length === 0) return null;
  return (
    <span className="text-xs text-slate-600">
      {heads.length === 1 ? "Head" : "Heads"}:{" "}
      {heads.map((head, index) => (
        <span key={head.id}>
          {index > 0 ? ", " : null}
          <Link href={`/console/members/${head.id}?tab=organisation`} className="font-medium text-slate-800 hover:text-brand-700 hover:underline">
            {head.fullName}
          </Link>
        </span>
      ))}
    </span>
  );
}
