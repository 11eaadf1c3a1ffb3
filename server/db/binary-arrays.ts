// Arrays of text sent to PostgreSQL in its binary format: each element's bytes
// after their length, with no quoting or escaping to do on either side. The
// text format (pg's default) quotes every element and escapes its quotes and
// backslashes, and PostgreSQL parses it back: for a batch's JSON documents
// that was most of the cost of sending them. A Buffer parameter goes as binary.

const TEXT_OID = 25;
const JSONB_OID = 3802;
// jsonb's binary form is a version byte, then the JSON text.
const JSONB_VERSION = 1;

function binaryArray(elementOid: number, values: readonly (string | null)[], prefix: number | null): Buffer {
  const prefixBytes = prefix === null ? 0 : 1;
  const lengths = values.map((value) => (value === null ? -1 : Buffer.byteLength(value, "utf8") + prefixBytes));
  const header = values.length === 0 ? 12 : 20;
  const size = lengths.reduce((total, length) => total + 4 + Math.max(length, 0), header);
  const buffer = Buffer.allocUnsafe(size);
  buffer.writeInt32BE(values.length === 0 ? 0 : 1, 0);
  buffer.writeInt32BE(lengths.includes(-1) ? 1 : 0, 4);
  buffer.writeInt32BE(elementOid, 8);
  if (values.length === 0) return buffer;
  buffer.writeInt32BE(values.length, 12);
  buffer.writeInt32BE(1, 16);
  let offset = header;
  values.forEach((value, index) => {
    buffer.writeInt32BE(lengths[index]!, offset);
    offset += 4;
    if (value === null) return;
    if (prefix !== null) buffer[offset++] = prefix;
    offset += buffer.write(value, offset, "utf8");
  });
  return buffer;
}

/** A `text[]` parameter (write it as `${param}::text[]`, then cast to citext[] or varchar[] as needed). */
export function textArray(values: readonly (string | null)[]): Buffer {
  return binaryArray(TEXT_OID, values, null);
}

/** A `jsonb[]` parameter from JSON texts (write it as `${param}::jsonb[]`): PostgreSQL parses each document on its own. */
export function jsonbArray(jsonTexts: readonly (string | null)[]): Buffer {
  return binaryArray(JSONB_OID, jsonTexts, JSONB_VERSION);
}
