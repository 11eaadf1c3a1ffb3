"use client";

import { PageFailure } from "@/components/list/list-state";

export default function ConsoleError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageFailure {...props} />;
}
