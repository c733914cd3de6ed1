/**
 * The TypeScript compiler API the front end reads a program with, passed down as a value. A program
 * may come from another copy of TypeScript than the one ts-morph bundles (typescript-eslint builds
 * it with the project's own `typescript`), and `SyntaxKind` numbers, flags and node tests are only
 * right for the copy that built the nodes.
 */
import type { ts } from 'ts-morph';

export type TypeScriptApi = typeof ts;
