// What a self-service action reports to its component, whether it went through
// the API (a live session) or a server action (a session confined to MFA
// enrolment, which the API refuses): the value, or a message with field errors
// and whether the member must first confirm it is them.

export type TActionResult<T> =
  | { ok: true; value: T }
  | { ok: false; message: string; fieldErrors: Record<string, string[] | undefined>; stepUpRequired: boolean };

/** Runs an API mutation and turns its error (TRPCClientError: message, data.fieldErrors, data.stepUpRequired) into a result. */
export async function resultOf<T>(run: () => Promise<T>): Promise<TActionResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    const data = (error as { data?: { fieldErrors?: Record<string, string[] | undefined> | null; stepUpRequired?: boolean } | null }).data;
    return {
      ok: false,
      message: error instanceof Error ? error.message : "Something went wrong. Try again in a moment.",
      fieldErrors: data?.fieldErrors ?? {},
      stepUpRequired: data?.stepUpRequired === true,
    };
  }
}
