import { invalidFilter } from "@/server/scim/scim-errors";

// The filter grammar of RFC 7644 §3.4.2.2, parsed into a tree that
// scim-filter-sql.ts turns into parameterised SQL. Pure; bounded: a filter
// longer than MAX_FILTER_LENGTH or nested deeper than MAX_FILTER_DEPTH is an
// invalidFilter answer, never a stack overflow.

export const MAX_FILTER_LENGTH = 4_000;
export const MAX_FILTER_DEPTH = 16;

export const COMPARISON_OPERATORS = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"] as const;
export type TComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type TFilterValue = string | number | boolean | null;

export type TFilter =
  | { kind: "compare"; path: string; operator: TComparisonOperator; value: TFilterValue }
  | { kind: "present"; path: string }
  | { kind: "and" | "or"; left: TFilter; right: TFilter }
  | { kind: "not"; filter: TFilter }
  /** attr[filter]: a filter on the sub-attributes of a multi-valued attribute. */
  | { kind: "valuePath"; path: string; filter: TFilter };

type TToken =
  | { type: "word"; text: string }
  | { type: "string"; text: string }
  | { type: "(" | ")" | "[" | "]" };

const WORD = /[A-Za-z0-9_:.$\-]/;

function tokenize(input: string): TToken[] {
  const tokens: TToken[] = [];
  let index = 0;
  while (index < input.length) {
    const character = input[index]!;
    if (character === " " || character === "\t" || character === "\n" || character === "\r") {
      index += 1;
    } else if (character === "(" || character === ")" || character === "[" || character === "]") {
      tokens.push({ type: character });
      index += 1;
    } else if (character === '"') {
      // A JSON string: escapes as JSON has them.
      let end = index + 1;
      while (end < input.length && input[end] !== '"') end += input[end] === "\\" ? 2 : 1;
      if (end >= input.length) throw invalidFilter("A string in the filter is not closed");
      try {
        tokens.push({ type: "string", text: JSON.parse(input.slice(index, end + 1)) as string });
      } catch {
        throw invalidFilter("A string in the filter has an invalid escape");
      }
      index = end + 1;
    } else if (WORD.test(character)) {
      let end = index;
      while (end < input.length && WORD.test(input[end]!)) end += 1;
      tokens.push({ type: "word", text: input.slice(index, end) });
      index = end;
    } else {
      throw invalidFilter(`Unexpected character “${character}” in the filter`);
    }
  }
  return tokens;
}

export function parseFilter(input: string): TFilter {
  if (input.length > MAX_FILTER_LENGTH) throw invalidFilter(`A filter may have at most ${MAX_FILTER_LENGTH} characters`);
  const tokens = tokenize(input);
  let position = 0;
  const peek = () => tokens[position];
  const isWord = (token: TToken | undefined, word: string): boolean => token?.type === "word" && token.text.toLowerCase() === word;

  const expect = (type: "(" | ")" | "[" | "]") => {
    if (peek()?.type !== type) throw invalidFilter(`Expected “${type}” in the filter`);
    position += 1;
  };

  const parseOr = (depth: number): TFilter => {
    let left = parseAnd(depth);
    while (isWord(peek(), "or")) {
      position += 1;
      left = { kind: "or", left, right: parseAnd(depth) };
    }
    return left;
  };
  const parseAnd = (depth: number): TFilter => {
    let left = parseUnary(depth);
    while (isWord(peek(), "and")) {
      position += 1;
      left = { kind: "and", left, right: parseUnary(depth) };
    }
    return left;
  };
  const parseUnary = (depth: number): TFilter => {
    if (depth > MAX_FILTER_DEPTH) throw invalidFilter(`A filter may nest at most ${MAX_FILTER_DEPTH} levels deep`);
    const token = peek();
    if (isWord(token, "not") && tokens[position + 1]?.type === "(") {
      position += 1;
      expect("(");
      const inner = parseOr(depth + 1);
      expect(")");
      return { kind: "not", filter: inner };
    }
    if (token?.type === "(") {
      position += 1;
      const inner = parseOr(depth + 1);
      expect(")");
      return inner;
    }
    return parseAttributeExpression(depth);
  };
  const parseAttributeExpression = (depth: number): TFilter => {
    const token = peek();
    if (token?.type !== "word") throw invalidFilter("Expected an attribute name in the filter");
    position += 1;
    const path = token.text;
    if (peek()?.type === "[") {
      position += 1;
      const inner = parseOr(depth + 1);
      expect("]");
      // attr[filter].sub is not part of the filter grammar: only PATCH paths have it.
      return { kind: "valuePath", path, filter: inner };
    }
    const operatorToken = peek();
    if (operatorToken?.type !== "word") throw invalidFilter(`Expected an operator after “${path}”`);
    const operator = operatorToken.text.toLowerCase();
    position += 1;
    if (operator === "pr") return { kind: "present", path };
    if (!(COMPARISON_OPERATORS as readonly string[]).includes(operator)) throw invalidFilter(`Unknown filter operator “${operatorToken.text}”`);
    return { kind: "compare", path, operator: operator as TComparisonOperator, value: parseValue() };
  };
  const parseValue = (): TFilterValue => {
    const token = peek();
    position += 1;
    if (token?.type === "string") return token.text;
    if (token?.type === "word") {
      const lower = token.text.toLowerCase();
      if (lower === "true") return true;
      if (lower === "false") return false;
      if (lower === "null") return null;
      if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
    }
    throw invalidFilter("Expected a value (a quoted string, a number, true, false or null) in the filter");
  };

  if (tokens.length === 0) throw invalidFilter("The filter is empty");
  const filter = parseOr(0);
  if (position !== tokens.length) throw invalidFilter("The filter has text after its end");
  return filter;
}
