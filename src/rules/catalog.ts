import type { FindingKind, RuleId, Severity } from '../model/finding.js';

export interface RuleMeta {
  id: RuleId;
  name: string;
  severity: Severity;
  /** One sentence: what the rule reports. */
  summary: string;
  /**
   * Why it matters, in one line: the `help:` of text output and part of SARIF's help. The rule's
   * document says it at length; a finding's message only names the test and the fix.
   */
  why: string;
  /** File name of the rule's document under rules/. */
  doc: string;
  /**
   * The ESLint messageId of each kind of finding the rule reports (each distinct, across rules too,
   * so a test or a formatter can tell `switch case 0` from `!= 0` without reading the text).
   */
  messageIds: Readonly<Partial<Record<FindingKind, string>>>;
  /**
   * How a rewrite is offered, the same by `ringlint scan --fix` and by ESLint: an `autofix` is
   * applied by `--fix` (both), a `suggestion` only offered (ESLint's suggestions, SARIF's fixes).
   * A rewrite is an autofix when it never takes a slot the consumer does not own: RL001/RL002's
   * behave as before on every released kernel, RL003's only takes frames the kernel already handed
   * over (USER with flag bits) that the exact test leaves stuck in the ring. RL007's makes a
   * constant test real, which changes what the code around it does: a person looks first.
   */
  fix: 'autofix' | 'suggestion' | 'none';
}

/** Rule ids and names are a public contract: docs, suppressions, SARIF and baselines refer to them. */
export const RULES: readonly RuleMeta[] = [
  {
    id: 'RL001',
    name: 'kernel-equality',
    severity: 'error',
    summary:
      'V1/V2 RX slot ownership is decided by comparing the status word with TP_STATUS_KERNEL or 0 (including switch cases) instead of testing the TP_STATUS_USER bit.',
    why: 'a slot claimed but not yet filled (the proposed TP_STATUS_IN_PROGRESS) is not KERNEL either, so it would be taken as ready',
    doc: 'RL001-kernel-equality.md',
    messageIds: { comparison: 'kernelComparison', case: 'kernelSwitchCase' },
    fix: 'autofix',
  },
  {
    id: 'RL002',
    name: 'truthy-status',
    severity: 'error',
    summary: "V1/V2 RX slot ownership is decided by the status word's truthiness instead of the TP_STATUS_USER bit.",
    why: 'any non-zero status counts as ready, so a slot in the proposed TP_STATUS_IN_PROGRESS state would be read half-written',
    doc: 'RL002-truthy-status.md',
    messageIds: { truth: 'statusTruthTest' },
    fix: 'autofix',
  },
  {
    id: 'RL003',
    name: 'exact-user-equality',
    severity: 'error',
    summary: 'The status word is compared for equality with TP_STATUS_USER (or 1), which fails as soon as any flag bit is set.',
    why: 'the kernel sets flag bits (COPY, LOSING, VLAN_VALID, timestamp source…) along with TP_STATUS_USER, so ready slots are missed',
    doc: 'RL003-exact-user-equality.md',
    messageIds: { comparison: 'exactUserComparison', case: 'exactUserSwitchCase' },
    fix: 'autofix',
  },
  {
    id: 'RL004',
    name: 'v3-block-kernel-equality',
    severity: 'warning',
    summary:
      'TPACKET_V3 block ownership (block_status) is decided by equality with TP_STATUS_KERNEL/0 or by truthiness instead of the TP_STATUS_USER bit.',
    why: 'future-proofing: the IN_PROGRESS proposal leaves V3 alone, but the documented ownership test is the USER bit, not "not KERNEL"',
    doc: 'RL004-v3-block-kernel-equality.md',
    messageIds: { comparison: 'blockKernelComparison', case: 'blockKernelSwitchCase', truth: 'blockTruthTest' },
    fix: 'none',
  },
  {
    id: 'RL005',
    name: 'status-read-without-acquire',
    severity: 'warning',
    summary: 'A status read that gates access to the frame has no acquire ordering, so frame contents may be read before the kernel wrote them.',
    why: 'without acquire ordering the frame may be read before the kernel finished writing it',
    doc: 'RL005-status-read-without-acquire.md',
    messageIds: { finding: 'readWithoutAcquire' },
    fix: 'none',
  },
  {
    id: 'RL006',
    name: 'release-without-ordering',
    severity: 'warning',
    summary: 'A slot is handed back to the kernel (TP_STATUS_KERNEL stored) without release ordering.',
    why: 'without release ordering the kernel may overwrite the frame while it is still being read',
    doc: 'RL006-release-without-ordering.md',
    messageIds: { finding: 'releaseWithoutOrdering' },
    fix: 'none',
  },
  {
    id: 'RL007',
    name: 'mask-precedence',
    severity: 'error',
    summary: '`status & TP_STATUS_USER == 0` and friends: `==` binds tighter than `&`, so the test is constant.',
    why: '`s & MASK == 0` parses as `s & (MASK == 0)`: the comparison binds first, so the test is constant or tests the wrong bits',
    doc: 'RL007-mask-precedence.md',
    messageIds: { finding: 'maskPrecedence' },
    fix: 'suggestion',
  },
  {
    id: 'RL008',
    name: 'unchecked-frame-access',
    severity: 'error',
    summary:
      "An RX frame's contents are read, or its slot is handed back, with no ownership test of the slot's status word before it (a readiness-only consumer).",
    why: 'poll() readiness says some frame is not TP_STATUS_KERNEL, not that this slot is ready: a slot still free or IN_PROGRESS is read half-written or handed back',
    doc: 'RL008-unchecked-frame-access.md',
    messageIds: { finding: 'uncheckedFrameAccess' },
    fix: 'none',
  },
];

export function ruleById(id: RuleId): RuleMeta {
  const rule = RULES.find((candidate) => candidate.id === id);
  if (!rule) throw new Error(`unknown rule ${id}`);
  return rule;
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
export const AUTOFIXED_RULES: ReadonlySet<RuleId> = new Set(RULES.filter((rule) => rule.fix === 'autofix').map((rule) => rule.id));
