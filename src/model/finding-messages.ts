/** What a finding says, shared by the C and TypeScript front ends so that both explain a rule alike. */
import type { RelatedLocation, RuleId, Span } from './finding.js';
import type { Decision, Origin } from './status-value.js';

type OwnershipRule = 'RL001' | 'RL002' | 'RL003' | 'RL004';

const WHY: Record<OwnershipRule, string> = {
  RL001:
    'a slot the kernel has claimed but not yet filled (TP_STATUS_IN_PROGRESS, proposed for V1/V2 rings) is neither KERNEL nor USER and would be taken as ready',
  RL002: 'any non-zero status counts as ready, so a slot in the proposed TP_STATUS_IN_PROGRESS state would be read half-written',
  RL003: 'the kernel sets flag bits (COPY, LOSING, CSUMNOTREADY, VLAN_VALID, timestamp source…) alongside TP_STATUS_USER, so ready slots are missed',
  RL004: 'future-proofing: the IN_PROGRESS proposal leaves V3 alone, but "not KERNEL" is not the documented ownership test',
};

const SUBJECT: Record<OwnershipRule, string> = {
  RL001: 'Slot ownership',
  RL002: 'Slot ownership',
  RL003: 'Readiness',
  RL004: 'Block ownership',
};

/** The message of an ownership finding (RL001–RL004), with the fix spelled for the language. */
export function ownershipMessage(ruleId: RuleId, decision: Decision, language: 'c' | 'js'): string {
  const rule = ruleId as OwnershipRule;
  const through = decision.via.find((origin) => origin.message.startsWith('through'));
  const route = through ? ` (${through.message})` : '';
  const word = rule === 'RL004' ? (language === 'c' ? 'block_status' : 'blockStatus') : 'status';
  const fix = rule === 'RL001' && language === 'c' ? `(${word} & TP_STATUS_USER)` : `(${word} & TP_STATUS_USER) ${language === 'c' ? '!=' : '!=='} 0`;
  return `${SUBJECT[rule]} is decided by a test that ${decision.describe}${route}: ${WHY[rule]}; test the bit instead: ${fix}.`;
}

export function relatedLocation(origin: Origin): RelatedLocation {
  return { file: origin.file, line: origin.line, column: origin.column, message: origin.message };
}

/** The macro or helper definitions, the decision inside them, and the status read — unless the read is the site itself. */
export function relatedLocations(decision: Decision, site: Span, siteFile: string): RelatedLocation[] {
  const locations: RelatedLocation[] = [];
  const add = (origin: Origin): void => {
    if (!locations.some((location) => location.file === origin.file && location.line === origin.line && location.column === origin.column)) {
      locations.push(relatedLocation(origin));
    }
  };
  for (const origin of [...decision.via, ...decision.tested.via]) add(origin);
  const read = decision.tested.read;
  const readInSite =
    read.file === siteFile &&
    (read.line > site.line || (read.line === site.line && read.column >= site.column)) &&
    (read.line < site.endLine || (read.line === site.endLine && read.column < site.endColumn));
  if (!readInSite) add(read);
  return locations;
}
