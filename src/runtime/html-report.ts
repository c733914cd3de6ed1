import type { SourceLineLookup } from '../reporters/source-lines.js';
import { TOOL_VERSION } from '../version.js';
import type { AccessAttribution } from './access-sites.js';
import type { RunFigures } from './run-check.js';
import { describeRuntimeLink, type LinkedFinding, type LinkedReport } from './static-link.js';

/**
 * `ringlint check --report FILE`: the run as a self-contained HTML page — inline CSS and SVG, no
 * script, nothing fetched (a Content-Security-Policy says so to the browser). It shows the ring as
 * a strip of slots over time (each claim IN_PROGRESS, then USER, then handed back), the moments the
 * consumer handed back a slot that was still IN_PROGRESS or read one, stalls, and, with --source,
 * the static findings with their code, linked to the slots whose accesses they explain.
 *
 * Everything that comes from the consumer or the scanned tree — its command, output, file names,
 * code, function names — is text here, escaped wherever it is written.
 */

/** Tagged template: interpolated strings are escaped (as numeric character references), numbers written as they are, Raw kept. */
class Raw {
  constructor(readonly html: string) {}
}

function html(strings: TemplateStringsArray, ...values: Array<string | number | Raw | Raw[]>): Raw {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    if (value instanceof Raw) out += value.html;
    else if (Array.isArray(value)) out += value.map((part) => part.html).join('');
    else out += typeof value === 'number' ? String(value) : value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    out += strings[index + 1] ?? '';
  });
  return new Raw(out);
}

const COLORS = {
  kernel: '#eef1f5',
  inProgress: '#f59e0b',
  user: '#3b82f6',
  stall: '#a855f7',
  handedBack: '#dc2626',
  access: '#111827',
};

/** A round tick step giving about `count` ticks over `span`. */
function tickStep(span: number, count: number): number {
  const raw = span / Math.max(count, 1);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return ([1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power) || 1;
}

/** Which finding explains the accesses of each site (the first that names it). */
function findingOfSite(findings: LinkedFinding[]): Map<number, number> {
  const bySite = new Map<number, number>();
  findings.forEach((finding, index) => {
    for (const site of finding.exercised?.sites ?? []) if (!bySite.has(site)) bySite.set(site, index);
  });
  return bySite;
}

function siteLabel(attribution: AccessAttribution | null, site: number): string {
  const frame = attribution?.sites[site]?.frames.find((one) => one.file !== null) ?? attribution?.sites[site]?.frames[0];
  if (!frame) return 'an instruction not kept';
  return frame.file ? `${frame.function}() at ${frame.file.split('/').pop() ?? frame.file}:${frame.line}` : `${frame.function}()`;
}

/** The ring over time: its legend, what it shows, and the strip itself; null without an emulated ring. */
function ringStrip(report: LinkedReport): Raw | null {
  const trace = report.trace;
  if (trace.length === 0) return null;
  const attribution = report.inProgressAccesses;
  const moments = attribution?.moments ?? [];
  const explained = findingOfSite(report.staticFindings?.findings ?? []);
  const end = Math.max(0, ...trace.flatMap(([, ...times]) => times), ...moments.map((moment) => moment.tMs));
  const start = Math.max(0, Math.min(...trace.map(([, claim]) => claim)) - 1);
  const windowMs = Math.max(end - start, 1) * 1.02;
  const slots = [...new Set(trace.map(([slot]) => slot))].sort((a, b) => a - b);
  const rowOf = new Map(slots.map((slot, index) => [slot, index]));
  const rowHeight = Math.max(2, Math.min(10, Math.floor(520 / slots.length)));
  const left = 56;
  const top = 8;
  const width = 940;
  const height = slots.length * rowHeight;
  const x = (t: number) => left + ((t - start) / windowMs) * width;
  const y = (slot: number) => top + (rowOf.get(slot) ?? 0) * rowHeight;
  const parts: Raw[] = [];
  const labelEvery = Math.ceil(14 / rowHeight);
  slots.forEach((slot, row) => {
    parts.push(
      html`<g class="slot-row" id="slot-${slot}"><rect class="bg" x="${left}" y="${y(slot)}" width="${width}" height="${rowHeight}"><title>slot ${slot}</title></rect></g>`,
    );
    if (row % labelEvery === 0)
      parts.push(html`<text class="row-label" x="${left - 6}" y="${y(slot) + rowHeight / 2 + 3}" text-anchor="end">${slot}</text>`);
  });
  const segment = (slot: number, from: number, to: number, cls: string, title: string) =>
    html`<rect class="${cls}" x="${x(from).toFixed(2)}" y="${y(slot) + 0.5}" width="${(Math.max(x(to) - x(from), 0.8)).toFixed(2)}" height="${Math.max(rowHeight - 1, 1)}"><title>${title}</title></rect>`;
  for (const [slot, claim, publish, consume, violation] of trace) {
    const inProgressEnd = [publish, violation].filter((t) => t >= 0).sort((a, b) => a - b)[0] ?? end;
    parts.push(segment(slot, claim, inProgressEnd, 'in-progress', `slot ${slot}: IN_PROGRESS from ${claim.toFixed(2)} ms`));
    if (publish >= 0) {
      const userEnd = consume >= publish ? consume : end;
      // Never handed back by the end of the run: a stall whatever this window's width.
      const stalled = consume < publish || userEnd - publish >= report.emulator.stallMs;
      parts.push(
        segment(
          slot,
          publish,
          userEnd,
          stalled ? 'user stall' : 'user',
          `slot ${slot}: USER (published) at ${publish.toFixed(2)} ms, ${consume >= publish ? `handed back at ${consume.toFixed(2)} ms` : 'never handed back'}${stalled ? ' — a stall' : ''}`,
        ),
      );
    }
    if (violation >= 0) {
      const cx = x(violation).toFixed(2);
      const cy = y(slot) + rowHeight / 2;
      const r = Math.max(rowHeight * 0.9, 3);
      parts.push(
        html`<path class="handed-back" d="M${cx} ${(cy - r).toFixed(2)} L${(Number(cx) + r).toFixed(2)} ${cy} L${cx} ${(cy + r).toFixed(2)} L${(Number(cx) - r).toFixed(2)} ${cy} Z"><title>slot ${slot} handed back while IN_PROGRESS at ${violation.toFixed(2)} ms (claimed at ${claim.toFixed(2)} ms)</title></path>`,
      );
    }
  }
  for (const moment of moments) {
    if (!rowOf.has(moment.slot) || moment.tMs < start) continue;
    const finding = explained.get(moment.site);
    const findingNote = finding === undefined ? '' : ` — explained by finding ${finding + 1}`;
    const mark = html`<rect class="access${finding === undefined ? '' : ` finding-${finding + 1}`}" x="${(x(moment.tMs) - 0.75).toFixed(2)}" y="${y(moment.slot) - 1}" width="1.5" height="${rowHeight + 2}"><title>slot ${moment.slot} read or written while IN_PROGRESS at ${moment.tMs.toFixed(2)} ms by ${siteLabel(attribution, moment.site)}${findingNote}</title></rect>`;
    parts.push(finding === undefined ? mark : html`<a href="#finding-${finding + 1}">${mark}</a>`);
  }
  const step = tickStep(windowMs, 10);
  const axisY = top + height;
  parts.push(html`<line class="axis" x1="${left}" y1="${axisY}" x2="${left + width}" y2="${axisY}"/>`);
  for (let t = Math.ceil(start / step) * step; t <= start + windowMs; t += step) {
    parts.push(
      html`<line class="tick" x1="${x(t).toFixed(2)}" y1="${axisY}" x2="${x(t).toFixed(2)}" y2="${axisY + 5}"/><text class="tick-label" x="${x(t).toFixed(2)}" y="${axisY + 18}" text-anchor="middle">${t.toFixed(step < 1 ? 1 : 0)}</text>`,
    );
  }
  parts.push(html`<text class="axis-title" x="${left + width / 2}" y="${axisY + 36}" text-anchor="middle">ms since the ring was mapped</text>`);
  parts.push(html`<text class="axis-title" transform="rotate(-90)" x="${-(top + height / 2)}" y="14" text-anchor="middle">slot</text>`);
  const svg = html`<svg id="ring-strip" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${left + width + 12} ${axisY + 44}" role="img" aria-label="ring slots over time">${parts}</svg>`;
  return html`<div class="legend"><span><i style="background:${COLORS.kernel};border:1px solid #cbd5e1"></i>KERNEL (free)</span><span><i style="background:${COLORS.inProgress}"></i>IN_PROGRESS (claimed, being filled)</span><span><i style="background:${COLORS.user}"></i>USER (published, until handed back)</span><span><i style="background:${COLORS.stall}"></i>stall (USER ≥ ${report.emulator.stallMs} ms, or never handed back)</span><span><i style="background:${COLORS.handedBack};transform:rotate(45deg);width:9px;height:9px"></i>found handed back while IN_PROGRESS</span><span><i style="background:${COLORS.access};width:3px"></i>read or written while IN_PROGRESS (watched)</span></div>
<p class="muted">The first ${report.trace.length} claims: ${slots.length} slots over ${windowMs.toFixed(1)} ms. Each row is a slot. A hand-back is found when the slot's producer completes it or by the emulator's 5 ms sweep; a watched access is marked when it happened. Hover a mark for its details${report.staticFindings ? '; click an access to see the finding it explains' : ''}.</p>
${svg}`;
}

function figures(label: string, f: RunFigures): Raw {
  return html`<tr><th>${label}</th><td>${f.sent}</td><td>${f.consumed}</td><td>${f.lost}</td><td>${f.kernelDrops}</td><td>${f.emulatedDrops}</td><td>${f.framesPerSecond}</td></tr>`;
}

function codeFrame(finding: LinkedFinding, sourceLine: SourceLineLookup | undefined): Raw {
  if (!sourceLine) return html``;
  const first = Math.max(1, finding.line - 2);
  const last = finding.endLine + 2;
  const reached = finding.exercised?.line;
  const rows: Raw[] = [];
  for (let line = first; line <= last; line++) {
    const text = sourceLine(finding.file, line);
    if (text === undefined) continue;
    const cls = line >= finding.line && line <= finding.endLine ? 'flagged' : '';
    rows.push(html`<tr class="${cls}"><td class="ln">${line}</td><td><code>${text}</code></td></tr>`);
  }
  if (reached !== undefined && (reached < first || reached > last)) {
    const text = sourceLine(finding.file, reached);
    if (text !== undefined)
      rows.push(html`<tr class="gap"><td class="ln">⋮</td><td></td></tr><tr class="reached"><td class="ln">${reached}</td><td><code>${text}</code></td></tr>`);
  }
  return rows.length > 0 ? html`<table class="code">${rows}</table>` : html``;
}

function findingCards(report: LinkedReport, sourceLine: SourceLineLookup | undefined): Raw {
  const link = report.staticFindings;
  if (!link) return html`<p class="muted">Run with <code>--source DIR</code> to see the static findings of the consumer's source and which of them this run exercised.</p>`;
  const moments = report.inProgressAccesses?.moments ?? [];
  const cards = link.findings.map((finding, index) => {
    const sites = new Set(finding.exercised?.sites ?? []);
    const slotMoments = moments.filter((moment) => sites.has(moment.site));
    const slots = [...new Map(slotMoments.map((moment) => [moment.slot, moment])).values()].slice(0, 16);
    const chips = slots.map((moment) => html`<a class="chip" href="#slot-${moment.slot}">slot ${moment.slot} · ${moment.tMs.toFixed(1)} ms</a>`);
    return html`<article class="finding ${finding.runtime}" id="finding-${index + 1}">
<header><span class="num">${index + 1}</span><span class="rule">${finding.ruleId}</span><span class="badge ${finding.runtime}">${finding.runtime.replace('-', ' ')}</span><span class="where">${finding.file}:${finding.line}:${finding.column}</span></header>
<p class="message">${finding.message}</p>
<p class="link">${describeRuntimeLink(finding)}</p>
${codeFrame(finding, sourceLine)}
${chips.length > 0 ? html`<p class="slots">Explains the accesses to ${chips}${slotMoments.length > chips.length ? html` <span class="muted">and more</span>` : html``}</p>` : html``}
</article>`;
  });
  return html`<p class="summary">${link.summary}</p>${cards}`;
}

/** `sourceLine`: the scanned text of the findings' files, for their code. */
export function renderHtmlReport(report: LinkedReport, sourceLine: SourceLineLookup | undefined): string {
  const c = report.counters;
  // The reason's first clause (a breaks verdict's first evidence): the evidence list below has the rest.
  const headline = report.reason.split('; ')[0] ?? report.reason;
  const command = report.consumer.command.join(' ');
  const consumerEnd = report.consumer.signal ? `killed by ${report.consumer.signal}` : `exit code ${report.consumer.exitCode ?? '?'}`;
  const stat = (value: number, label: string, cls = '') => html`<div class="stat ${cls}"><b>${value}</b><span>${label}</span></div>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ringlint check: ${report.verdict} — ${command}</title>
<style>
:root { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2937; background: #f8fafc; }
body { margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; }
header.verdict { border-radius: 12px; padding: 18px 22px; color: #fff; margin-bottom: 20px; }
header.verdict.breaks { background: linear-gradient(135deg, #b91c1c, #dc2626); }
header.verdict.safe { background: linear-gradient(135deg, #15803d, #16a34a); }
header.verdict.inconclusive { background: linear-gradient(135deg, #475569, #64748b); }
header.verdict.crashed { background: linear-gradient(135deg, #c2410c, #ea580c); }
.kicker { text-transform: uppercase; letter-spacing: .12em; font-size: 12px; opacity: .85; }
header.verdict h1 { margin: 4px 0 10px; font-size: 20px; line-height: 1.35; font-weight: 600; overflow-wrap: anywhere; }
header.verdict h1 .word { text-transform: uppercase; font-weight: 800; letter-spacing: .04em; margin-right: 8px; padding: 1px 10px; border-radius: 6px; background: rgba(255,255,255,.2); }
header.verdict code { background: rgba(0,0,0,.22); padding: 2px 6px; border-radius: 5px; font-size: 13px; overflow-wrap: anywhere; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(120px, 1fr)); gap: 10px; }
.stat { background: #fff; border: 1px solid #e2e8f0; border-radius: 10px; padding: 10px 12px; }
.stat b { display: block; font-size: 22px; font-variant-numeric: tabular-nums; }
.stat span { font-size: 12px; color: #64748b; }
.stat.bad b { color: #b91c1c; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 6px 24px; font-size: 13.5px; margin-top: 14px; }
.facts div { overflow-wrap: anywhere; } .facts dt { color: #64748b; } .facts dd { margin: 0; }
ul.evidence { padding-left: 20px; line-height: 1.5; } ul.evidence li { margin: 3px 0; }
.panel { background: #fff; border: 1px solid #e2e8f0; border-radius: 12px; padding: 14px 16px; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; font-size: 13px; margin-bottom: 8px; }
.legend i { display: inline-block; width: 14px; height: 10px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
svg#ring-strip { width: 100%; height: auto; display: block; }
svg .bg { fill: ${COLORS.kernel}; }
svg .slot-row:target .bg { fill: #fde68a; }
svg .in-progress { fill: ${COLORS.inProgress}; }
svg .user { fill: ${COLORS.user}; }
svg .user.stall { fill: ${COLORS.stall}; }
svg .handed-back { fill: ${COLORS.handedBack}; stroke: #fff; stroke-width: .6; }
svg .access { fill: ${COLORS.access}; opacity: .85; }
svg .row-label, svg .tick-label { font-size: 10px; fill: #64748b; font-variant-numeric: tabular-nums; }
svg .axis-title { font-size: 11px; fill: #475569; }
svg .axis, svg .tick { stroke: #94a3b8; stroke-width: 1; }
.muted { color: #64748b; }
table.figures { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; }
table.figures th, table.figures td { padding: 4px 12px; text-align: right; border-bottom: 1px solid #e2e8f0; }
table.figures th:first-child { text-align: left; }
.summary { font-size: 14px; }
article.finding { background: #fff; border: 1px solid #e2e8f0; border-left: 4px solid #94a3b8; border-radius: 10px; padding: 10px 14px; margin: 10px 0; }
article.finding.confirmed { border-left-color: #dc2626; }
article.finding.not-exercised { border-left-color: #cbd5e1; opacity: .85; }
article.finding:target { box-shadow: 0 0 0 3px #fde68a; }
article.finding header { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; font-size: 13px; }
.num { background: #1f2937; color: #fff; border-radius: 999px; min-width: 20px; height: 20px; display: inline-flex; align-items: center; justify-content: center; font-size: 11px; }
.rule { font-weight: 700; } .where { font-family: ui-monospace, "DejaVu Sans Mono", monospace; color: #475569; overflow-wrap: anywhere; }
.badge { border-radius: 999px; padding: 1px 8px; font-size: 11.5px; background: #e2e8f0; color: #334155; }
.badge.confirmed { background: #fee2e2; color: #991b1b; } .badge.not-exercised { background: #f1f5f9; color: #64748b; }
.message { margin: 6px 0 2px; font-weight: 550; } .link { margin: 0 0 6px; font-size: 13px; color: #475569; }
table.code { border-collapse: collapse; width: 100%; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #0f172a; color: #e2e8f0; border-radius: 8px; overflow: hidden; }
table.code td { padding: 1px 10px; white-space: pre; } table.code td.ln { color: #64748b; text-align: right; width: 1%; user-select: none; }
table.code tr.flagged { background: #7f1d1d; } table.code tr.reached { background: #78350f; } table.code code { font: inherit; }
.slots { font-size: 13px; } a.chip { display: inline-block; margin: 2px 3px; padding: 1px 8px; border-radius: 999px; background: #fef3c7; color: #92400e; text-decoration: none; font-variant-numeric: tabular-nums; }
pre.output { background: #0f172a; color: #e2e8f0; padding: 10px 12px; border-radius: 8px; font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 36px; font-size: 12px; color: #94a3b8; }
</style></head>
<body><main>
<header class="verdict ${report.verdict}"><div class="kicker">ringlint check · verdict</div>
<h1><span class="word">${report.verdict}</span> ${headline}</h1>
<code>${command}</code></header>
<section class="stats">
${stat(c.violations, 'handed back while IN_PROGRESS', c.violations > 0 ? 'bad' : '')}
${stat(c.poisonTaken, 'poison frames taken', c.poisonTaken > 0 ? 'bad' : '')}
${stat(c.stalls, 'stalled frames', c.stalls > 0 ? 'bad' : '')}
${stat(c.consumed, 'frames consumed')}
${stat(c.claims, 'IN_PROGRESS claims')}
${stat(c.drops + c.kernelDrops, 'frames dropped')}
${stat(c.waitCalls, 'readiness calls')}
</section>
<dl class="facts">
<div><dt>ring</dt><dd>${report.ring.version ?? 'none'}${report.ring.version ? `, ${report.ring.frames} frames of ${report.ring.frameSize} bytes, ${report.ring.emulated ? 'emulated' : 'passed through'}${report.ring.withTxRing ? ', TX ring left to the kernel' : ''}` : ''}</dd></div>
<div><dt>emulated kernel</dt><dd>IN_PROGRESS = 0x${report.emulator.inProgressValue.toString(16)} (${report.emulator.inProgressMode}), ${report.emulator.producers} producers, ${report.emulator.delayUs[0]}–${report.emulator.delayUs[1]} µs, seed ${report.emulator.seed}</dd></div>
<div><dt>traffic</dt><dd>${report.traffic.sent} frames (${report.traffic.vlanFrames} VLAN-tagged) in ${report.traffic.elapsedMs.toFixed(0)} ms</dd></div>
<div><dt>consumer</dt><dd>pid ${report.consumer.pid ?? '–'}, ${consumerEnd}${report.consumer.exitedBeforeStop ? ' (ended on its own)' : report.consumer.stoppedWith ? ` after ${report.consumer.stoppedWith}` : ''}</dd></div>
</dl>
<h2>Evidence</h2>
<ul class="evidence">${report.evidence.map((line) => html`<li>${line}</li>`)}</ul>
<h2>The ring over time</h2>
<div class="panel">
${ringStrip(report) ?? html`<p class="muted">No emulated ring: nothing to draw.</p>`}
</div>
<h2>Throughput</h2>
<table class="figures"><tr><th>run</th><th>sent</th><th>consumed</th><th>lost</th><th>kernel drops</th><th>emulated drops</th><th>frames/s</th></tr>
${figures('emulated', report.throughput.emulated)}${report.throughput.passThrough ? figures('pass-through (emulator off)', report.throughput.passThrough) : html``}</table>
${report.throughput.passThrough ? html`` : html`<p class="muted">Run with <code>--baseline-run</code> to compare with the same consumer and traffic with the emulator off.</p>`}
<h2>Static findings</h2>
${findingCards(report, sourceLine)}
<h2>Consumer output (last lines)</h2>
<pre class="output">${report.consumer.outputTail.trim() || '(nothing)'}</pre>
<footer>ringlint ${TOOL_VERSION} · check took ${(report.durationMs / 1000).toFixed(1)} s · sandbox ${report.sandbox.mode}</footer>
</main></body></html>
`;
  return page.html;
}
