/**
 * The C++ front end where the fixtures' inline expectations cannot say enough: which grammar reads
 * a `.h`, C and C++ units analysed together in either order, and the precision of calls through
 * objects. In-process, through the C family's analysis as the scan and ESLint use it.
 */
import { describe, expect, it } from 'vitest';
import { C_LANGUAGE } from '../../src/c/language.js';
import { CPP_LANGUAGE } from '../../src/cpp/language.js';
import { languageOf } from '../../src/files/source-kind.js';
import type { Analysis, SourceUnit } from '../../src/languages/language.js';

const analysis: Analysis = await C_LANGUAGE.analysis.load([C_LANGUAGE, CPP_LANGUAGE]);

function units(files: Record<string, string>): SourceUnit[] {
  return Object.entries(files).map(([path, text]) => ({ path, absolutePath: `/${path}`, text, language: languageOf(path)! }));
}

function findings(files: Record<string, string>): string[] {
  const outcome = analysis.analyze(units(files));
  expect(outcome.errors).toEqual([]);
  return outcome.findings.map((finding) => `${finding.file}:${finding.line} ${finding.ruleId}${finding.related.some((related) => related.message.startsWith('in helper Ring::')) ? ' via Ring' : ''}`).sort();
}

/** A member function defined in a `.h`: followed only when the header is read as C++. */
const CLASS_HEADER = [
  'class Ring {',
  ' public:',
  '  bool mine(const struct tpacket2_hdr *h) const { return h->tp_status != TP_STATUS_KERNEL; }',
  '};',
].join('\n');
const CPP_CALLER = '#include "ring.h"\nvoid take(Ring &ring, struct tpacket2_hdr *h) {\n  if (ring.mine(h)) deliver(h, h->tp_len);\n}\n';

describe('a .h file', () => {
  it('is C++ when only C++ files include it', () => {
    expect(findings({ 'ring.h': CLASS_HEADER, 'take.cc': CPP_CALLER })).toEqual(['take.cc:3 RL001 via Ring', 'take.cc:3 RL005 via Ring']);
  });

  it('is C++ when nothing analysed includes it and tree-sitter-c cannot read its C++', () => {
    // Without callers the member function's own decision is reported in it: it was indexed as C++.
    expect(findings({ 'ring.h': CLASS_HEADER })).toEqual(['ring.h:3 RL001']);
  });

  it('is C for C includers, even when C++ files include it too', () => {
    const header = '#define SLOT_MINE(h) ((h)->tp_status != TP_STATUS_KERNEL)\nstatic inline int slot_taken(const struct tpacket2_hdr *h) { return h->tp_status != 0; }\n';
    const cCaller = '#include "ring.h"\nvoid c(struct tpacket2_hdr *h) { if (slot_taken(h)) deliver(h, h->tp_len); }\n';
    const cppCaller = '#include "ring.h"\nvoid cpp(tpacket2_hdr *h) { if (SLOT_MINE(h)) deliver(h, h->tp_len); }\n';
    expect(findings({ 'ring.h': header, 'c.c': cCaller, 'cpp.cc': cppCaller })).toEqual(['c.c:2 RL001', 'c.c:2 RL005', 'cpp.cc:2 RL001', 'cpp.cc:2 RL005']);
  });
});

describe('C and C++ units analysed together', () => {
  // Node type ids differ between the grammars: a C++ body read after a C one must keep C++'s names.
  const cUnit = { 'a.c': 'int a(struct tpacket2_hdr *h) { return h->tp_status; }\n' };
  const cppUnit = {
    'b.cc': 'int count(std::vector<tpacket2_hdr *> &frames) {\n  int n = 0;\n  for (auto *h : frames) {\n    if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) != TP_STATUS_KERNEL) break;\n    n++;\n  }\n  return n;\n}\n',
  };

  it('judge each C++ unit in its own grammar, whichever comes first', () => {
    expect(findings({ ...cUnit, ...cppUnit })).toEqual([]);
    expect(findings({ ...cppUnit, ...cUnit })).toEqual([]);
  });
});

describe('calls through objects', () => {
  const ring = 'class Ring {\n public:\n  unsigned status() const { return hdr_->tp_status; }\n private:\n  tpacket2_hdr *hdr_;\n};\n';

  it('follow the member function of the object\'s class', () => {
    const caller = 'void f(Ring &ring, tpacket2_hdr *h) {\n  if (ring.status() != 0) deliver(h, h->tp_len);\n}\n';
    expect(findings({ 'ring.hpp': ring, 'f.cc': caller })).toEqual(['f.cc:2 RL001 via Ring', 'f.cc:2 RL005']);
  });

  it('follow the member function their own file defines, when two programs of a tree each define one', () => {
    const program = (test: string): string =>
      `namespace capture {\nstruct Rx { static bool ready(tpacket2_hdr *h) { return ${test}; } };\n}\nvoid take(tpacket2_hdr *h) {\n  if (capture::Rx::ready(h)) deliver(h, h->tp_len);\n}\n`;
    const files = { 'unsafe.cc': program('h->tp_status != TP_STATUS_KERNEL'), 'safe.cc': program('(h->tp_status & TP_STATUS_USER) != 0') };
    expect(findings(files).filter((finding) => finding.includes('RL001'))).toEqual(['unsafe.cc:5 RL001']);
    // Through an object, and from a header each includes.
    const header = (test: string): string => `struct Rx {\n  bool ready(tpacket2_hdr *h) const { return ${test}; }\n};\n`;
    const caller = (name: string): string => `#include "${name}.hpp"\nvoid take(Rx &rx, tpacket2_hdr *h) {\n  if (rx.ready(h)) deliver(h, h->tp_len);\n}\n`;
    const throughObjects = {
      'unsafe.hpp': header('h->tp_status != TP_STATUS_KERNEL'),
      'safe.hpp': header('(h->tp_status & TP_STATUS_USER) != 0'),
      'unsafe.cc': caller('unsafe'),
      'safe.cc': caller('safe'),
    };
    expect(findings(throughObjects).filter((finding) => finding.includes('RL001'))).toEqual(['unsafe.cc:3 RL001']);
  });

  it('leave alone an object of another class with a member of the same name', () => {
    const caller = [
      'class Response { public: int status() const; };',
      'int f(const Response &response, http::Reply *reply) {',
      '  if (response.status() != 0) return 1;',
      '  return reply->status() == 0;',
      '}',
    ].join('\n');
    expect(findings({ 'ring.hpp': ring, 'f.cc': caller })).toEqual([]);
  });
});

describe('a function returning bool', () => {
  it('tests the status word it returns for truth there, so the fix goes in it', () => {
    const code = 'class Slots {\n public:\n  bool ready() const { return first_->tp_status; }\n  tpacket2_hdr *first_;\n};\nvoid f(Slots &slots) {\n  if (slots.ready()) deliver(slots.first_, slots.first_->tp_len);\n}\n';
    const outcome = analysis.analyze(units({ 'slots.cc': code }));
    const truthy = outcome.findings.find((finding) => finding.ruleId === 'RL002');
    expect(truthy).toMatchObject({ line: 7 });
    expect(truthy?.decisionShape?.test).toMatchObject({ line: 3, column: 31 });
  });
});
