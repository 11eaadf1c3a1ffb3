// A mail body as plain text with its http(s) links picked out, so the outbox
// can show them as links (as a mail client would) and nothing else as markup.

export type TMailPart = { kind: "text"; text: string } | { kind: "link"; href: string };

const LINK = /https?:\/\/[^\s<>"']+/g;
/** Punctuation that ends a sentence is not part of the link before it. */
const TRAILING = /[.,;:!?)\]]+$/;

export function splitMailLinks(body: string): TMailPart[] {
  const parts: TMailPart[] = [];
  let last = 0;
  for (const match of body.matchAll(LINK)) {
    const href = match[0].replace(TRAILING, "");
    const start = match.index;
    if (start > last) parts.push({ kind: "text", text: body.slice(last, start) });
    parts.push({ kind: "link", href });
    last = start + href.length;
  }
  if (last < body.length) parts.push({ kind: "text", text: body.slice(last) });
  return parts;
}
