/**
 * What a constant operand means in TypeScript/JavaScript: numeric literals, `TP_STATUS_*` names,
 * `const` aliases and enum members, followed through imports with the type checker so a constant
 * declared in another file is known by its value and by its meaning.
 */
import type { ts } from 'ts-morph';
import type { StatusConstant } from '../model/status-value.js';
import { RX_STATUS_CONSTANTS, TX_STATUS_CONSTANTS, USER_BIT } from '../model/status-vocabulary.js';
import type { TypeScriptApi } from './typescript-api.js';

export interface ResolvedConstant extends StatusConstant {
  /** The name says it is a status-word constant (TP_STATUS_*, a TpStatus enum member), not a bare 0 or 1. */
  named: boolean;
}

/** Enum members of a TP_STATUS-carrying enum, by lower-cased member name. */
const TX_MEMBER_NAMES = /^(available|sendrequest|send_request|sending|wrongformat|wrong_format)$/i;
const MAX_ALIAS_DEPTH = 8;

export class StatusConstants {
  constructor(
    private readonly ts: TypeScriptApi,
    private readonly checker: ts.TypeChecker,
  ) {}

  resolve(node: ts.Expression, depth = 0): ResolvedConstant | undefined {
    const { ts } = this;
    const bare = skipParentheses(ts, node);
    const spelling = bare.getText();
    if (ts.isNumericLiteral(bare)) return { value: Number(bare.text), spelling, tx: false, named: false };
    if (ts.isBinaryExpression(bare) && bare.operatorToken.kind === ts.SyntaxKind.BarToken) {
      const a = this.resolve(bare.left, depth + 1);
      const b = this.resolve(bare.right, depth + 1);
      return a && b ? { value: a.value | b.value, spelling, tx: a.tx || b.tx, named: a.named || b.named } : undefined;
    }
    if (ts.isBinaryExpression(bare) && bare.operatorToken.kind === ts.SyntaxKind.LessThanLessThanToken) {
      const a = this.resolve(bare.left, depth + 1);
      const b = this.resolve(bare.right, depth + 1);
      return a && b ? { value: a.value << b.value, spelling, tx: false, named: false } : undefined;
    }
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    const name = ts.isIdentifier(bare) ? bare.text : ts.isPropertyAccessExpression(bare) ? bare.name.text : undefined;
    if (name === undefined) return undefined;
    const byName = constantNamed(name, spelling);
    if (byName) return byName;
    const declaration = declarationOf(ts, this.checker, ts.isPropertyAccessExpression(bare) ? bare.name : bare);
    return declaration ? this.fromDeclarationNode(declaration, spelling, depth) : undefined;
  }

  /** Whether an enum's members carry TP_STATUS values: a KERNEL-ish 0 and a USER-ish 1, or TX meanings. */
  isStatusEnum(declaration: ts.EnumDeclaration): boolean {
    const has = (value: number, name: RegExp): boolean =>
      declaration.members.some((member) => this.checker.getConstantValue(member) === value && name.test(member.name.getText()));
    return has(0, /kernel|available/i) && has(1, /user|send_?request/i);
  }

  /**
   * How code at `site` names the USER bit, for a rewrite to write it the same way: beside an enum
   * member the test compares with, that enum's USER member (`TpStatus.KERNEL` → `TpStatus.USER`);
   * else, among the names the file declares or imports in the blocks around the test, resolved by
   * the checker: `TP_STATUS_USER`, then a status enum's USER member, then a constant meaning it
   * (value 1, and named for a status or for USER). Undefined when it names it nowhere. (Asking the
   * checker for every name in scope would also list the lib's thousands of globals, per test.)
   */
  userBitAt(site: ts.Node, compared?: ts.Expression): string | undefined {
    const { ts, checker } = this;
    const bare = compared ? skipParentheses(ts, compared) : undefined;
    if (bare && ts.isPropertyAccessExpression(bare)) {
      const declaration = declarationOf(ts, checker, bare.name);
      const member = declaration && ts.isEnumMember(declaration) ? this.userMemberOf(declaration.parent) : undefined;
      if (member) return `${bare.expression.getText()}.${member}`;
    }
    let enumMember: string | undefined;
    let constant: string | undefined;
    for (const identifier of this.namesAround(site)) {
      const name = identifier.text;
      if (name === USER_BIT) return name;
      if (enumMember && constant) continue;
      const declaration = declarationOf(ts, checker, identifier);
      if (!declaration) continue;
      if (ts.isEnumDeclaration(declaration)) {
        const member = enumMember ? undefined : this.userMemberOf(declaration);
        if (member) enumMember = `${name}.${member}`;
      } else if (!constant && ts.isVariableDeclaration(declaration)) {
        const resolved = this.fromDeclarationNode(declaration, name, 0);
        if (resolved?.value === 1 && !resolved.tx && (resolved.named || /user/i.test(name))) constant = name;
      }
    }
    return enumMember ?? constant;
  }

  /** Names declared (`const`, `enum`, destructured `require`) or imported in the blocks enclosing `site`, innermost first. */
  private *namesAround(site: ts.Node): Iterable<ts.Identifier> {
    const { ts } = this;
    for (let node = site.parent; node; node = node.parent) {
      if (!ts.isSourceFile(node) && !ts.isBlock(node) && !ts.isModuleBlock(node)) continue;
      for (const statement of node.statements) {
        if (ts.isVariableStatement(statement)) {
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name)) yield declaration.name;
            else if (ts.isObjectBindingPattern(declaration.name)) {
              for (const element of declaration.name.elements) if (ts.isIdentifier(element.name)) yield element.name;
            }
          }
        } else if (ts.isEnumDeclaration(statement)) {
          yield statement.name;
        } else if (ts.isImportDeclaration(statement) && statement.importClause) {
          const { name, namedBindings } = statement.importClause;
          if (name) yield name;
          if (namedBindings && ts.isNamedImports(namedBindings)) for (const element of namedBindings.elements) yield element.name;
        }
      }
    }
  }

  /** The member of an RX status enum that is the USER bit. */
  private userMemberOf(declaration: ts.EnumDeclaration): string | undefined {
    const { ts } = this;
    if (!this.isStatusEnum(declaration) || /tx/i.test(declaration.name.text)) return undefined;
    const ones = declaration.members.filter((member) => ts.isIdentifier(member.name) && this.checker.getConstantValue(member) === 1);
    const member = ones.find((candidate) => /user/i.test(candidate.name.getText())) ?? ones.find((candidate) => !TX_MEMBER_NAMES.test(candidate.name.getText()));
    return member?.name.getText();
  }

  private fromDeclarationNode(declaration: ts.Declaration, spelling: string, depth: number): ResolvedConstant | undefined {
    const { ts } = this;
    if (ts.isEnumMember(declaration)) {
      const value = this.checker.getConstantValue(declaration);
      if (typeof value !== 'number') return undefined;
      const named = this.isStatusEnum(declaration.parent);
      const tx = named && (TX_MEMBER_NAMES.test(declaration.name.getText()) || /tx/i.test(declaration.parent.name.text));
      return { value, spelling, tx, named };
    }
    if (ts.isVariableDeclaration(declaration) && declaration.initializer && isConstDeclaration(ts, declaration)) {
      const aliased = this.resolve(declaration.initializer, depth + 1);
      if (!aliased) return undefined;
      // `const KERNEL = TP_STATUS_KERNEL` keeps the meaning; `const ZERO = 0` is just a number.
      const named = aliased.named || (ts.isIdentifier(declaration.name) && /^TP_STATUS_|_STATUS_(KERNEL|USER)$/.test(declaration.name.text));
      return { ...aliased, spelling, named };
    }
    return undefined;
  }
}

function constantNamed(name: string, spelling: string): ResolvedConstant | undefined {
  const rx = RX_STATUS_CONSTANTS.get(name);
  if (rx !== undefined) return { value: rx, spelling, tx: false, named: true };
  const tx = TX_STATUS_CONSTANTS.get(name);
  if (tx !== undefined) return { value: tx, spelling, tx: true, named: true };
  return undefined;
}

export function isConstDeclaration(ts: TypeScriptApi, declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  return ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
}

/** The declaration a name refers to, through `import`/`export` aliases. */
export function declarationOf(ts: TypeScriptApi, checker: ts.TypeChecker, node: ts.Node): ts.Declaration | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

export function skipParentheses(ts: TypeScriptApi, node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else {
      return current;
    }
  }
}
