import type { RuleId, Severity } from '../model/finding.js';

export interface RuleMeta {
  id: RuleId;
  name: string;
  severity: Severity;
  /** One sentence: what the rule reports. */
  summary: string;
  /** File name of the rule's document under rules/. */
  doc: string;
}

/** Rule ids and names are a public contract: docs, suppressions, SARIF and baselines refer to them. */
export const RULES: readonly RuleMeta[] = [
  {
    id: 'RL001',
    name: 'kernel-equality',
    severity: 'error',
    summary:
      'V1/V2 RX slot ownership is decided by comparing the status word with TP_STATUS_KERNEL or 0 (including switch cases) instead of testing the TP_STATUS_USER bit.',
    doc: 'RL001-kernel-equality.md',
  },
  {
    id: 'RL002',
    name: 'truthy-status',
    severity: 'error',
    summary: "V1/V2 RX slot ownership is decided by the status word's truthiness instead of the TP_STATUS_USER bit.",
    doc: 'RL002-truthy-status.md',
  },
  {
    id: 'RL003',
    name: 'exact-user-equality',
    severity: 'error',
    summary: 'The status word is compared for equality with TP_STATUS_USER (or 1), which fails as soon as any flag bit is set.',
    doc: 'RL003-exact-user-equality.md',
  },
  {
    id: 'RL004',
    name: 'v3-block-kernel-equality',
    severity: 'warning',
    summary:
      'TPACKET_V3 block ownership (block_status) is decided by equality with TP_STATUS_KERNEL/0 or by truthiness instead of the TP_STATUS_USER bit.',
    doc: 'RL004-v3-block-kernel-equality.md',
  },
  {
    id: 'RL005',
    name: 'status-read-without-acquire',
    severity: 'warning',
    summary: 'A status read that gates access to the frame has no acquire ordering, so frame contents may be read before the kernel wrote them.',
    doc: 'RL005-status-read-without-acquire.md',
  },
  {
    id: 'RL006',
    name: 'release-without-ordering',
    severity: 'warning',
    summary: 'A slot is handed back to the kernel (TP_STATUS_KERNEL stored) without release ordering.',
    doc: 'RL006-release-without-ordering.md',
  },
  {
    id: 'RL007',
    name: 'mask-precedence',
    severity: 'error',
    summary: '`status & TP_STATUS_USER == 0` and friends: `==` binds tighter than `&`, so the test is constant.',
    doc: 'RL007-mask-precedence.md',
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
