/**
 * The config file's text as JSON with comments and trailing commas (JSONC, as VS Code and
 * tsconfig.json accept it), parsed with Microsoft's jsonc-parser, and where in the text each value
 * and key is: problems are reported at a line and column, as a compiler would.
 */
import { createRequire } from 'node:module';
import type * as JsoncParser from 'jsonc-parser';
import { LineIndex, type TextPosition } from '../fix/text-positions.js';

// Required, not imported: the package's Node entry is a UMD bundle, which Node loads as CommonJS.
const jsonc = createRequire(import.meta.url)('jsonc-parser') as typeof JsoncParser;

/** A key or array index on the way from the top level to a value. */
export type JsonPath = Array<string | number>;

/** A problem with the value at `path`. */
export interface ConfigProblem {
  path: JsonPath;
  /** The key itself is wrong (unknown), not its value. */
  atKey: boolean;
  message: string;
}

/** A problem at its place in the text: 1-based, columns in characters (UTF-16 code units). */
export interface SyntaxProblem extends TextPosition {
  message: string;
}

export type ParsedConfigText = { value: unknown; placeOf: (path: JsonPath, atKey: boolean) => TextPosition } | { syntaxProblems: SyntaxProblem[] };

export function parseConfigText(text: string): ParsedConfigText {
  const errors: JsoncParser.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const lines = new LineIndex(text);
  const place = (offset: number) => lines.positionOf(offset);
  if (errors.length > 0 || !root) {
    const problems = errors.map((error) => ({ ...place(error.offset), message: describeSyntaxError(jsonc.printParseErrorCode(error.error)) }));
    return { syntaxProblems: problems.length > 0 ? problems : [{ line: 1, column: 1, message: 'the file is empty; expected an object' }] };
  }
  return {
    value: jsonc.getNodeValue(root),
    placeOf: (path, atKey) => {
      // The deepest node on the path that exists: a missing key is reported where it would go.
      for (let length = path.length; length >= 0; length--) {
        const node = jsonc.findNodeAtLocation(root, path.slice(0, length));
        if (!node) continue;
        const key = atKey && length === path.length && node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
        return place((key ?? node).offset);
      }
      return place(root.offset);
    },
  };
}

/**
 * Where strict JSON (no comments, no trailing commas) first goes wrong, in jsonc-parser's words:
 * JSON.parse's own message quotes the text around the error, and a file named as JSON may be any
 * file (a baseline path of /etc/shadow). Undefined when the text is valid JSON.
 */
export function jsonSyntaxProblem(text: string): SyntaxProblem | undefined {
  const errors: JsoncParser.ParseError[] = [];
  jsonc.parseTree(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const first = errors[0];
  return first && { ...new LineIndex(text).positionOf(first.offset), message: describeSyntaxError(jsonc.printParseErrorCode(first.error)) };
}

/** `CloseBraceExpected` → `close brace expected`. */
function describeSyntaxError(code: string): string {
  return `syntax error: ${code.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase()}`;
}
