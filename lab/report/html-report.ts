// `tlssim trace --html OUT`: one self-contained HTML file (inline CSS and JS, nothing fetched) that
// shows one or more runs: verdicts, where the bytes went, credentials seen, what the run cost (when the
// runner measured it), the summary side by side, and each run's timeline of both directions. Easy to
// attach to an issue or send around.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AirConnection } from '../../modem/air/air-ledger.ts';
import type { Trace } from '../../shared/trace/trace-reader.ts';
import type { RunCosts } from '../runner/run-costs.ts';
import type { TraceAnalysis } from '../trace/analysis-types.ts';
import { analyzeTrace } from '../trace/trace-analysis.ts';
import { escapeHtml } from './html-escape.ts';
import { renderCostCard } from './report-costs.ts';
import { REPORT_JS } from './report-script.ts';
import { renderSequence } from './report-sequence.ts';
import { REPORT_CSS } from './report-style.ts';
import { renderByteBar, renderSecrets, renderSummaryTable, renderVerdicts } from './report-summary.ts';
import { renderTimeline } from './report-timeline.ts';

export interface HtmlReportOptions {
  title?: string;
}

/** A run the runner measured: its trace analysis with its costs and air.jsonl's connections. */
export interface CostedRun {
  analysis: TraceAnalysis;
  costs: RunCosts;
  connections?: readonly AirConnection[];
}

/** A bare trace (analysed here), an analysis, or a measured run (with a cost card). */
export type ReportRun = Trace | TraceAnalysis | CostedRun;

const isTrace = (x: ReportRun): x is Trace => 'chunks' in x;
const isCosted = (x: ReportRun): x is CostedRun => 'costs' in x;

export function renderHtmlReport(runs: readonly ReportRun[], options: HtmlReportOptions = {}): string {
  const analyses = runs.map((r) => (isTrace(r) ? analyzeTrace(r) : isCosted(r) ? r.analysis : r));
  const costCards = runs.map((r) =>
    isCosted(r) ? `<h4>What it cost</h4>${renderCostCard(r.costs, r.connections)}` : '',
  );
  const title = options.title ?? `tlssim UART report: ${analyses.map((a) => a.label).join(' vs ')}`;
  const nav = analyses.map((a, i) => `<a href="#run-${i + 1}">${escapeHtml(a.label)}</a>`).join('');
  const overview = analyses
    .map(
      (a, i) => `<h3><a href="#run-${i + 1}">${escapeHtml(a.label)}</a></h3>
${renderVerdicts(a.summary)}
${renderByteBar(a.summary)}
${renderSecrets(a.summary)}
${costCards[i]}`,
    )
    .join('\n');
  const sections = analyses.map((a, i) => runSection(a, i + 1)).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top">
<h1>${escapeHtml(title)}</h1>
<p>What crossed the UART between the MCU and the BG96 modem. tx = MCU → modem, rx = modem → MCU.
Orange: plaintext anyone on the UART can read. Red: private keys (certificates are public: grey). Blue: TLS handshake in clear. Green: ciphertext.</p>
<nav class="runs">${nav}</nav>
</header>
<main>
<section id="overview"><h2>Overview</h2>${overview}</section>
<section id="summary"><h2>Summary</h2>${renderSummaryTable(analyses.map((a) => a.summary))}</section>
<div class="controls">
<label><input type="checkbox" data-hide="at" checked> AT commands and responses</label>
<label><input type="checkbox" data-hide="urc" checked> URCs</label>
<label><input type="checkbox" data-hide="data" checked> data phases</label>
<input type="search" id="filter" placeholder="filter rows (e.g. QISEND, ClientHello, PRIVATE)">
</div>
${sections}
</main>
<script>${REPORT_JS}</script>
</body>
</html>
`;
}

function runSection(a: TraceAnalysis, n: number): string {
  const h = a.header;
  const facts = [
    a.file ? `file ${a.file}` : undefined,
    h.scenario ? `scenario ${h.scenario}` : undefined,
    h.mode ? `mode ${h.mode}` : undefined,
    `${h.baud} ${h.frame}`,
    `started ${h.started}`,
    `${a.events.length} events, ${a.phases.length} data phases`,
  ].filter(Boolean);
  const warnings = a.warnings.length
    ? `<h3>Framing warnings</h3><ul class="warnings">${a.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>`
    : '';
  return `<section class="run" id="run-${n}">
<h2>${escapeHtml(a.label)}</h2>
<p class="mono">${escapeHtml(facts.join(' · '))}</p>
${warnings}
<h3>Sequence: MCU | UART | modem | network | server</h3>
${renderSequence(a)}
${renderTimeline(a)}
</section>`;
}

/** Writes the report for these runs (traces are analysed here; analyses are used as they are). */
export function writeHtmlReport(
  runs: readonly ReportRun[],
  outFile: string,
  options: HtmlReportOptions = {},
): void {
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, renderHtmlReport(runs, options));
}
