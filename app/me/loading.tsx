export default function SelfServiceLoading() {
  return (
    <p role="status" className="text-sm text-slate-600">
      Loading…
    </p>
  );
}
