import { randomBytes } from "node:crypto";

// An error nobody planned for (a database refusal, a bug) must never reach the
// client as it is: its message can carry SQL, table names or other members'
// data. The client gets a generic sentence with an id; the server log gets the
// same id with the real error, so an operator can find it from a user's report.

const ids = new WeakMap<object, string>();

/** Logs the error once under a fresh id and returns the id (the same one if this error was logged already). */
export function logUnexpectedError(error: unknown, where: string): string {
  const key = typeof error === "object" && error !== null ? error : null;
  const known = key ? ids.get(key) : undefined;
  if (known) return known;
  const id = randomBytes(6).toString("hex");
  if (key) ids.set(key, id);
  console.error(`[error id ${id}] ${where}:`, error);
  return id;
}

export function unexpectedErrorMessage(id: string): string {
  return `Something went wrong (error id ${id})`;
}

/** The generic answer of a route handler, after logging the real error. */
export function unexpectedErrorResponse(error: unknown, where: string): Response {
  const id = logUnexpectedError(error, where);
  return Response.json({ error: unexpectedErrorMessage(id), errorId: id }, { status: 500 });
}

/** Wraps a route handler: anything it throws becomes the generic answer (a streamed body's own errors end the stream). */
export function answeringGenericErrors<TArgs extends unknown[]>(where: string, handler: (...args: TArgs) => Promise<Response>) {
  return async (...args: TArgs): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return unexpectedErrorResponse(error, where);
    }
  };
}
