import type { TaskList } from "graphile-worker";
import type { TTaskName } from "@/server/queue/payloads";
import sessionDeleteExpired from "@/workers/tasks/session__delete_expired";
import membersMarkOffline from "@/workers/tasks/members__mark_offline";
import statusRefreshSnapshots from "@/workers/tasks/status__refresh_snapshots";
import rateLimitsPruneIdle from "@/workers/tasks/rate_limits__prune_idle";
import workersReleaseDeadLocks from "@/workers/tasks/workers__release_dead_locks";
import loginAttemptDeleteOld from "@/workers/tasks/login_attempt__delete_old";
import memberActivate from "@/workers/tasks/member__activate";
import memberLock from "@/workers/tasks/member__lock";
import memberUnlock from "@/workers/tasks/member__unlock";
import memberResign from "@/workers/tasks/member__resign";
import memberHardDelete from "@/workers/tasks/member__hard_delete";
import memberRevokeSessions from "@/workers/tasks/member__revoke_sessions";
import lifecycleCatchUp from "@/workers/tasks/lifecycle__catch_up";
import departmentCompactCounts from "@/workers/tasks/department__compact_counts";
import accessSweepProfiles from "@/workers/tasks/access__sweep_profiles";
import passwordRemindExpiry from "@/workers/tasks/password__remind_expiry";
import passwordExpiryReminderSweep from "@/workers/tasks/password__expiry_reminder_sweep";
import mailDeliver from "@/workers/tasks/mail__deliver";
import authPasswordResetRequest from "@/workers/tasks/auth__password_reset_request";
import membersImportApply from "@/workers/tasks/members__import_apply";
import membersImportResumeStalled from "@/workers/tasks/members__import_resume_stalled";
import membersImportPurge from "@/workers/tasks/members__import_purge";
import alertsDeliver from "@/workers/tasks/alerts__deliver";
import directorySync from "@/workers/tasks/directory__sync";
import directorySyncDue from "@/workers/tasks/directory__sync_due";
import webhooksDeliver from "@/workers/tasks/webhooks__deliver";
import webhooksPurge from "@/workers/tasks/webhooks__purge";
import provisioningSyncMember from "@/workers/tasks/provisioning__sync_member";
import provisioningSyncGroup from "@/workers/tasks/provisioning__sync_group";
import provisioningReconcile from "@/workers/tasks/provisioning__reconcile";
import provisioningReconcileDue from "@/workers/tasks/provisioning__reconcile_due";
import applicationDeliverBackchannelLogout from "@/workers/tasks/application__deliver_backchannel_logout";

// Every task, by the name of its file in tasks/. `satisfies` makes a task
// without a payload schema (or a schema without a task) a type error.
export const taskList = {
  session__delete_expired: sessionDeleteExpired,
  members__mark_offline: membersMarkOffline,
  status__refresh_snapshots: statusRefreshSnapshots,
  login_attempt__delete_old: loginAttemptDeleteOld,
  rate_limits__prune_idle: rateLimitsPruneIdle,
  workers__release_dead_locks: workersReleaseDeadLocks,
  member__activate: memberActivate,
  member__lock: memberLock,
  member__unlock: memberUnlock,
  member__resign: memberResign,
  member__hard_delete: memberHardDelete,
  member__revoke_sessions: memberRevokeSessions,
  lifecycle__catch_up: lifecycleCatchUp,
  department__compact_counts: departmentCompactCounts,
  access__sweep_profiles: accessSweepProfiles,
  password__remind_expiry: passwordRemindExpiry,
  password__expiry_reminder_sweep: passwordExpiryReminderSweep,
  mail__deliver: mailDeliver,
  auth__password_reset_request: authPasswordResetRequest,
  members__import_apply: membersImportApply,
  members__import_resume_stalled: membersImportResumeStalled,
  members__import_purge: membersImportPurge,
  alerts__deliver: alertsDeliver,
  directory__sync: directorySync,
  directory__sync_due: directorySyncDue,
  webhooks__deliver: webhooksDeliver,
  webhooks__purge: webhooksPurge,
  provisioning__sync_member: provisioningSyncMember,
  provisioning__sync_group: provisioningSyncGroup,
  provisioning__reconcile: provisioningReconcile,
  provisioning__reconcile_due: provisioningReconcileDue,
  application__deliver_backchannel_logout: applicationDeliverBackchannelLogout,
} satisfies Record<TTaskName, TaskList[string]>;
