"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  return (
    <div>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          setFailed(false);
          // The server revokes the session row in next-auth's signOut event.
          signOut({ redirect: false })
            .then(() => {
              router.replace("/sign-in?reason=signed-out");
              router.refresh();
            })
            .catch(() => {
              setPending(false);
              setFailed(true);
            });
        }}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-60"
      >
        {pending ? "Signing out…" : "Sign out"}
      </button>
      {failed ? <p role="alert" className="mt-1 text-xs text-red-600">Sign-out failed; try again.</p> : null}
    </div>
  );
}
