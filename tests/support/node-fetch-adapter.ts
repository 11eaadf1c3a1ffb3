import type { IncomingMessage, ServerResponse } from "node:http";

// Runs a route handler of the app (a fetch-style `(Request) => Response`, as
// app/api/trpc/[trpc]/route.ts exports) behind a Node http server, as Next's
// own server does: for tests that need real HTTP and real processes without
// a `next build`.

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function nodeHandlerFor(routeHandler: (request: Request) => Promise<Response>) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const body = await readBody(request);
    const answer = await routeHandler(
      new Request(`http://${request.headers.host ?? "localhost"}${request.url ?? "/"}`, { method: request.method, headers, body: body ? new Uint8Array(body) : undefined }),
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    response.end(Buffer.from(await answer.arrayBuffer()));
  };
}
