import { LoadingState } from "@/components/list/list-state";

export default function Loading() {
  return <LoadingState>Loading the application…</LoadingState>;
}
