import { LoadingState } from "@/components/list/list-state";

export default function SelfServiceLoading() {
  return <LoadingState>Loading…</LoadingState>;
}
