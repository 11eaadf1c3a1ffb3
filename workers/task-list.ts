import type { TaskList } from "graphile-worker";
import type { TTaskName } from "@/workers/payloads";
import sessionDeleteExpired from "@/workers/tasks/session__delete_expired";

// Every task, by the name of its file in tasks/. `satisfies` makes a task
// without a payload schema (or a schema without a task) a type error.
export const taskList = {
  session__delete_expired: sessionDeleteExpired,
} satisfies Record<TTaskName, TaskList[string]>;
