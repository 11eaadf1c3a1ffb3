import Link from "next/link";

/**
 * Under a form whose username, email or mobile an archived member holds
 * (server/members/member-conflicts.ts): the way to that record, where the
 * admin can unarchive them. It opens beside the form, which keeps what was typed
 * for when the value is free again.
 */
export function ArchivedHolderLink({ error }: { error: { data?: { archivedMemberId?: string | null } | null } | null }) {
  const memberId = error?.data?.archivedMemberId;
  if (!memberId) return null;
  return (
    <p className="rounded-md border border-stone-300 bg-stone-50 px-3 py-2 text-sm text-stone-800">
      <Link href={`/console/members/${memberId}`} target="_blank" rel="noopener" className="font-medium text-brand-700 underline">
        Open the archived member
        <span className="sr-only"> (opens in a new tab)</span>
      </Link>{" "}
      to unarchive them, or choose other details.
    </p>
  );
}
