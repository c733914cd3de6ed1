/**
 * The rules, one entry each: the owner of every fact about a rule that another place states — its
 * id and name, severity, family, languages, ESLint messageIds, how its rewrite is offered, and its
 * one-line summary. ESLint's rule meta, `--fix`, SARIF's rule descriptors and the CLI's help read
 * them here; the rule tables of README.md and rules/README.md and the config schema's rule names
 * are generated from them (`npm run rules-table`, checked by test/rules/rule-tables.test.ts).
 */

export type Severity = 'error' | 'warning';

/**
 * What a finding reports: for the ownership rules the kind of test (`comparison`, `case` of a
 * switch, `truth` test), for the other rules their one kind of finding. The catalog names each
 * kind's ESLint messageId.
 */
export type FindingKind = 'comparison' | 'case' | 'truth' | 'finding';

/**
 * How a rewrite is offered, the same by `ringlint scan --fix` and by ESLint: an `auto` fix is
 * applied by `--fix` (both), a `suggest` one only offered (ESLint's suggestions). A rewrite is
 * automatic when it never takes a slot the consumer does not own: RL001/RL002's behave as before
 * on every released kernel, RL003's only takes frames the kernel already handed over (USER with
 * flag bits) that the exact test leaves stuck in the ring. RL007's makes a constant test real,
 * which changes what the code around it does: a person looks first.
 */
export type FixKind = 'auto' | 'suggest' | 'none';

/**
 * What a rule's finding is about, which decides where its fix goes and what else can say of it:
 * - `ownership`: a test of the status word that decides wrongly whether the consumer owns the
 *   slot or block; its fix is at the test (inside the macro or helper that makes it);
 * - `unguarded-access`: a frame used with no ownership test at all;
 * - `ordering`: a status read or hand-back without the memory ordering it needs;
 * - `precedence`: a mask test the operators' precedence makes constant.
 * `ringlint check --source` ties the ownership and unguarded-access findings to the runtime verdict.
 */
export type RuleFamily = 'ownership' | 'unguarded-access' | 'ordering' | 'precedence';

/** The languages (ids of src/languages/ rows) whose front end reports the rule. */
export type RuleLanguage = 'c' | 'cpp' | 'typescript';

/** A rule's facts, as each entry below states them. */
interface RuleFacts {
  id: `RL${number}`;
  name: string;
  severity: Severity;
  family: RuleFamily;
  languages: readonly RuleLanguage[];
  /**
   * What the rule reports, in one sentence: ESLint's `meta.docs.description`, SARIF's
   * fullDescription, and the rule tables. Code in backticks (Markdown tables render it, the other
   * channels show it as written).
   */
  summary: string;
  /**
   * Why it matters, in one line: the `help:` of text output and part of SARIF's help. The rule's
   * document says it at length; a finding's message only names the test and the fix.
   */
  why: string;
  /**
   * The ESLint messageId of each kind of finding the rule reports (each distinct, across rules too,
   * so a test or a formatter can tell `switch case 0` from `!= 0` without reading the text).
   */
  messageIds: Readonly<Partial<Record<FindingKind, string>>>;
  fix: FixKind;
}

/** Every front end reports it: C, C++ (the C family's analysis) and TypeScript/JavaScript. */
const EVERY_LANGUAGE = ['c', 'cpp', 'typescript'] as const;

/** Rule ids and names are a public contract: docs, suppressions, SARIF and baselines refer to them. */
const CATALOG = [
  {
    id: 'RL001',
    name: 'kernel-equality',
    severity: 'error',
    family: 'ownership',
    languages: EVERY_LANGUAGE,
    summary:
      'V1/V2 RX slot ownership is decided by `==`/`!=` against `TP_STATUS_KERNEL` or 0, or by a `switch` with `case TP_STATUS_KERNEL:`, instead of a test of the `TP_STATUS_USER` bit.',
    why: 'a slot claimed but not yet filled (the proposed TP_STATUS_IN_PROGRESS) is not KERNEL either, so it would be taken as ready',
    messageIds: { comparison: 'kernelComparison', case: 'kernelSwitchCase' },
    fix: 'auto',
  },
  {
    id: 'RL002',
    name: 'truthy-status',
    severity: 'error',
    family: 'ownership',
    languages: EVERY_LANGUAGE,
    summary:
      "V1/V2 RX slot ownership is decided by the status word's truthiness (`if (s)`, `!s`, `s ? … : …`) instead of a test of the `TP_STATUS_USER` bit.",
    why: 'any non-zero status counts as ready, so a slot in the proposed TP_STATUS_IN_PROGRESS state would be read half-written',
    messageIds: { truth: 'statusTruthTest' },
    fix: 'auto',
  },
  {
    id: 'RL003',
    name: 'exact-user-equality',
    severity: 'error',
    family: 'ownership',
    languages: EVERY_LANGUAGE,
    summary: 'The whole status word is compared with `TP_STATUS_USER` (or 1), which fails as soon as any flag bit is set.',
    why: 'the kernel sets flag bits (COPY, LOSING, VLAN_VALID, timestamp source…) along with TP_STATUS_USER, so ready slots are missed',
    messageIds: { comparison: 'exactUserComparison', case: 'exactUserSwitchCase' },
    fix: 'auto',
  },
  {
    id: 'RL004',
    name: 'v3-block-kernel-equality',
    severity: 'warning',
    family: 'ownership',
    languages: EVERY_LANGUAGE,
    summary:
      'TPACKET_V3 block ownership (`block_status`) is decided by equality with `TP_STATUS_KERNEL`/0 or by truthiness instead of the `TP_STATUS_USER` bit (future-proofing).',
    why: 'future-proofing: the IN_PROGRESS proposal leaves V3 alone, but the documented ownership test is the USER bit, not "not KERNEL"',
    messageIds: { comparison: 'blockKernelComparison', case: 'blockKernelSwitchCase', truth: 'blockTruthTest' },
    fix: 'none',
  },
  {
    id: 'RL005',
    name: 'status-read-without-acquire',
    severity: 'warning',
    family: 'ordering',
    languages: EVERY_LANGUAGE,
    summary:
      'A status read that gates access to the frame is a plain load with no acquire ordering or barrier, so frame contents may be read before the kernel wrote them.',
    why: 'without acquire ordering the frame may be read before the kernel finished writing it',
    messageIds: { finding: 'readWithoutAcquire' },
    fix: 'none',
  },
  {
    id: 'RL006',
    name: 'release-without-ordering',
    severity: 'warning',
    family: 'ordering',
    languages: EVERY_LANGUAGE,
    summary: 'A slot is handed back to the kernel (`TP_STATUS_KERNEL` stored) without release ordering.',
    why: 'without release ordering the kernel may overwrite the frame while it is still being read',
    messageIds: { finding: 'releaseWithoutOrdering' },
    fix: 'none',
  },
  {
    id: 'RL007',
    name: 'mask-precedence',
    severity: 'error',
    family: 'precedence',
    languages: EVERY_LANGUAGE,
    summary: '`status & TP_STATUS_USER == 0` and friends: `==` binds tighter than `&`, so the test is constant.',
    why: '`s & MASK == 0` parses as `s & (MASK == 0)`: the comparison binds first, so the test is constant or tests the wrong bits',
    messageIds: { finding: 'maskPrecedence' },
    fix: 'suggest',
  },
  {
    id: 'RL008',
    name: 'unchecked-frame-access',
    severity: 'error',
    family: 'unguarded-access',
    // The TypeScript front end does not look for it (rules/RL008-unchecked-frame-access.md).
    languages: ['c', 'cpp'],
    summary:
      "An RX frame's contents are read, or its slot is handed back, with no ownership test of the slot's status word before it (readiness from `poll()` only).",
    why: 'poll() readiness says some frame is not TP_STATUS_KERNEL, not that this slot is ready: a slot still free or IN_PROGRESS is read half-written or handed back',
    messageIds: { finding: 'uncheckedFrameAccess' },
    fix: 'none',
  },
] as const satisfies readonly RuleFacts[];

export type RuleId = (typeof CATALOG)[number]['id'];

/** The ids of a family's rules, as a type: `RuleIdIn<'ownership'>` is RL001–RL004. */
export type RuleIdIn<Family extends RuleFamily> = Extract<(typeof CATALOG)[number], { family: Family }>['id'];

export interface RuleMeta extends RuleFacts {
  id: RuleId;
  /** File name of the rule's document under rules/: `RL001-kernel-equality.md`. */
  doc: `${RuleId}-${string}.md`;
}

export const RULES: readonly RuleMeta[] = CATALOG.map((rule) => ({ ...rule, doc: `${rule.id}-${rule.name}.md` }));

export function ruleById(id: RuleId): RuleMeta {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
}

/** `RL001–RL004, RL008`: rule ids in catalog order, three or more in a row as a range. */
export function ruleIdRanges(ids: Iterable<RuleId>): string {
  const wanted = new Set(ids);
  const runs: RuleId[][] = [];
  let previousWanted = false;
  for (const rule of RULES) {
    const isWanted = wanted.has(rule.id);
    if (isWanted && previousWanted) runs.at(-1)!.push(rule.id);
    else if (isWanted) runs.push([rule.id]);
    previousWanted = isWanted;
  }
  return runs.flatMap((run) => (run.length >= 3 ? [`${run[0]}–${run.at(-1)}`] : run)).join(', ');
}

/** What ESLint puts before a rule's name, the plugin's namespace: `ringlint/kernel-equality`. */
export const ESLINT_RULE_PREFIX = 'ringlint/';

/** The rule `key` names: its id (`RL001`), its name (`kernel-equality`) or its ESLint name (`ringlint/kernel-equality`). */
export function ruleNamed(key: string): RuleMeta | undefined {
  const name = key.startsWith(ESLINT_RULE_PREFIX) ? key.slice(ESLINT_RULE_PREFIX.length) : key;
  return RULES.find((rule) => rule.id === key || rule.name === name);
}

/** ESLint messageIds the plugin reports besides findings (by RL001, once per file). */
export const FILE_MESSAGE_IDS = { notAnalysed: 'notAnalysed', suppressionProblem: 'suppressionProblem', rewrite: 'rewrite' } as const;

/** The messageId of a finding of `rule` of `kind`; a kind the rule does not report is a bug in the caller. */
export function messageIdOf(rule: RuleMeta, kind: FindingKind): string {
  const id = rule.messageIds[kind];
  if (!id) throw new Error(`${rule.id} reports no ${kind} finding`);
  return id;
}

/** The rules whose rewrite `--fix` applies (and ESLint's `--fix`). */
export const AUTOFIXED_RULES: ReadonlySet<RuleId> = new Set(RULES.filter((rule) => rule.fix === 'auto').map((rule) => rule.id));

/**
 * The rules whose findings `ringlint check --source` ties to the runtime verdict: a wrong or missing
 * ownership test is what a consumer breaks on when a slot is IN_PROGRESS.
 */
export const RUNTIME_LINKED_RULES: ReadonlySet<RuleId> = new Set(
  RULES.filter((rule) => rule.family === 'ownership' || rule.family === 'unguarded-access').map((rule) => rule.id),
);
