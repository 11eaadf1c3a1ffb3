import Link from "next/link";

export default function MemberNotFound() {
  return (
    <section className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center">
      <h1 className="text-xl font-semibold">Member not found</h1>
      <p className="mt-1 text-sm text-slate-600">There is no such member in this organisation. They may have been deleted, or the link is wrong.</p>
      <Link href="/console/members" className="mt-4 inline-block text-sm font-medium text-brand-700 hover:underline">
        Back to the members
      </Link>
    </section>
  );
}
