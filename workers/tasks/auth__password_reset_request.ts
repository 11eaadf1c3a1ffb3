import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { sendPasswordResetLink } from "@/server/auth/forgot-password";
import { taskPayloads } from "@/server/queue/payloads";

/** A "forgot password" request, queued by the public form so the request itself does the same work for any account. */
const authPasswordResetRequest: Task = async (payload) => {
  const { organisation, login, ipAddress, userAgent } = taskPayloads.auth__password_reset_request.parse(payload);
  await sendPasswordResetLink(db(), { organisation, login }, { ipAddress, userAgent });
};

export default authPasswordResetRequest;
