"use client";

import { useRouter } from "next/navigation";
import { DirectorySettingsForm, NEW_DIRECTORY } from "@/components/directories/directory-settings-form";

/** The form for a new directory; once connected, its page. */
export function NewDirectory() {
  const router = useRouter();
  return <DirectorySettingsForm directoryId={null} initial={NEW_DIRECTORY} hasBindPassword={false} canEdit onSaved={(id) => router.push(`/console/settings/directories/${id}`)} />;
}
