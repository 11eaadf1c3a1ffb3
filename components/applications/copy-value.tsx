"use client";

import { useId, useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";

/** A value to paste into an application's configuration: read-only, selected on focus, with a Copy button. */
export function CopyValue({ label, value, tone = "plain" }: { label: string; value: string; tone?: "plain" | "secret" }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          className={`min-w-0 flex-1 rounded-md border px-2 py-1.5 font-mono text-xs ${tone === "secret" ? "border-amber-300 bg-white" : "border-slate-300 bg-slate-50"}`}
        />
        <button
          type="button"
          className={SECONDARY_BUTTON}
          onClick={() => {
            void navigator.clipboard?.writeText(value).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
          <span className="sr-only"> {label}</span>
        </button>
      </div>
    </div>
  );
}
