/**
 * The SourceCode ESLint gets for a C file. The AST is a single translation-unit node (the analysis
 * runs on the text with the C analyzer; rules need no C syntax tree of their own), plus the file's
 * comments, so `/* eslint-disable … *\/` and `// eslint-disable-next-line …` work as in JS.
 *
 * Configs written for JavaScript often have no `files` and so reach C files too. Their rules find
 * no JavaScript node to visit here, but some read the SourceCode when they are set up; for those it
 * answers what is true of C: its comments (no-irregular-whitespace), a scope that declares no
 * JavaScript variable (logical-assignment-operators, typescript-eslint's prefer-includes), and type
 * information without any source file (typescript-eslint's typed rules; see c-type-information.ts).
 */
import {
  ConfigCommentParser, Directive, TextSourceCodeBase, VisitNodeStep, type DirectiveType, type SourceLocation, type TextSourceCode,
} from '@eslint/plugin-kit';
import { COMPILER_LINE_END } from '../files/line-ends.js';
import { C_PARSER_SERVICES } from './c-type-information.js';

export interface CComment {
  type: 'Block' | 'Line';
  /** The text between the comment markers. */
  value: string;
  range: [number, number];
  loc: SourceLocation;
}

export interface CTranslationUnit {
  type: 'TranslationUnit';
  /** The id of the file's language (src/languages/table.ts): its analysis runs on the file. */
  ringlintLanguage: string;
  range: [number, number];
  loc: SourceLocation;
  comments: CComment[];
}

type CSyntaxElement = CTranslationUnit | CComment;

const INLINE_CONFIG = /^\s*eslint(?:-enable|-disable(?:(?:-next)?-line)?)?(?:\s|$)/u;
const LINE_COMMENT_DIRECTIVE = /^\s*eslint-disable-(?:next-)?line(?:\s|$)/u;
const commentParser = new ConfigCommentParser();

/** What ESLint asks of a language's SourceCode, as @eslint/core states it. */
type SourceCodeAnswer<Method extends 'getDisableDirectives' | 'applyInlineConfig'> = ReturnType<Required<TextSourceCode>[Method]>;

/** ESLint's scope shape, with nothing in it. */
function emptyScope(block: CTranslationUnit) {
  const scope = {
    type: 'global' as const, isStrict: false, upper: null, childScopes: [], block, functionExpressionScope: false,
    variables: [], set: new Map<string, never>(), references: [], through: [], variableScope: undefined as unknown,
  };
  scope.variableScope = scope;
  return scope;
}

export class CSourceCode extends TextSourceCodeBase<{
  LangOptions: Record<string, unknown>;
  RootNode: CTranslationUnit;
  SyntaxElementWithLoc: CSyntaxElement;
  ConfigNode: CComment;
}> {
  private scope: ReturnType<typeof emptyScope> | undefined;
  readonly parserServices = C_PARSER_SERVICES;

  /** `text` is the file's own (ESLint writes fixes into it); its lines are counted as gcc counts them, as the analysis does. */
  constructor({ text, ast }: { text: string; ast: CTranslationUnit }) {
    super({ text, ast, lineEndingPattern: COMPILER_LINE_END });
  }

  getAllComments(): CComment[] {
    return this.ast.comments;
  }

  /** C declares no JavaScript variables: one global scope, empty, wherever asked. */
  getScope(): ReturnType<typeof emptyScope> {
    return (this.scope ??= emptyScope(this.ast));
  }

  getInlineConfigNodes(): CComment[] {
    // As in JavaScript, only the -line directives may be line comments.
    return this.ast.comments.filter(
      (comment) => INLINE_CONFIG.test(comment.value) && (comment.type === 'Block' || LINE_COMMENT_DIRECTIVE.test(comment.value)),
    );
  }

  getDisableDirectives(): SourceCodeAnswer<'getDisableDirectives'> {
    const answer: SourceCodeAnswer<'getDisableDirectives'> = { problems: [], directives: [] };
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (!parsed) continue;
      const { label, value, justification } = parsed;
      // A disable-line comment that spans lines would leave it unclear which line it means.
      if (label === 'eslint-disable-line' && comment.loc.start.line !== comment.loc.end.line) {
        answer.problems.push({ ruleId: null, message: `${label} comment should not span multiple lines.`, loc: comment.loc });
        continue;
      }
      // The inline config comments' other label, `eslint`, is applyInlineConfig's.
      if (label !== 'eslint') answer.directives.push(new Directive({ type: label.slice('eslint-'.length) as DirectiveType, node: comment, value, justification }));
    }
    return answer;
  }

  /** `/* eslint ringlint/kernel-equality: "off" *\/` in a C file. */
  applyInlineConfig(): SourceCodeAnswer<'applyInlineConfig'> {
    const answer: SourceCodeAnswer<'applyInlineConfig'> = { configs: [], problems: [] };
    for (const comment of this.getInlineConfigNodes()) {
      const parsed = commentParser.parseDirective(comment.value);
      if (parsed?.label !== 'eslint') continue;
      const result = commentParser.parseJSONLikeConfig(parsed.value);
      if (result.ok) answer.configs.push({ config: { rules: result.config }, loc: comment.loc });
      else answer.problems.push({ ruleId: null, message: result.error.message, loc: comment.loc });
    }
    return answer;
  }

  override getParent(node: CSyntaxElement): CSyntaxElement | undefined {
    return node === this.ast ? undefined : this.ast;
  }

  override traverse(): Iterable<VisitNodeStep> {
    return [
      new VisitNodeStep({ target: this.ast, phase: 1, args: [this.ast, undefined] }),
      new VisitNodeStep({ target: this.ast, phase: 2, args: [this.ast, undefined] }),
    ];
  }
}
