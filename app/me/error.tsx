"use client";

import { PageFailure } from "@/components/list/list-state";

export default function SelfServiceError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <PageFailure {...props} />;
}
