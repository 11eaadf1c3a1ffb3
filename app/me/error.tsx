"use client";

export default function SelfServiceError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="font-medium">This page could not be shown.</p>
      <p className="mt-1">{error.digest ? `Reference ${error.digest}. ` : ""}Try again, or reload the page.</p>
      <button type="button" onClick={reset} className="mt-2 font-medium underline">
        Try again
      </button>
    </div>
  );
}
