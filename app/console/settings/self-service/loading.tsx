export default function Loading() {
  return (
    <p role="status" className="text-sm text-slate-600">
      Loading the self-service settings…
    </p>
  );
}
