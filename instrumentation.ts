// Next calls register() once when a server process starts. The work is
// server/runtime/register-app-process.ts; it is imported only inside the
// Node.js branch, so the Edge bundle Next also builds never traces it (or
// node:crypto, pg and argon2 behind it).
export async function register() {
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerAppProcess } = await import("@/server/runtime/register-app-process");
    await registerAppProcess();
  }
}
