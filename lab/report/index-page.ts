// `<out>/index.html`, written by every `tlssim run`: one row per run of the suite (or of the shard) with
// its status, duration and costs (docs/costs.md), linked to its HTML report and its files, so a CI
// artifact opens on a page that says what ran and where to look. Self-contained (inline CSS, no
// script); links are relative, so the folder can be moved or uploaded whole.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { RunResult } from '../runner/retry.ts';
import type { Shard } from '../runner/shard.ts';
import type { SkippedRun } from './failure-lines.ts';
import { escapeHtml } from './html-escape.ts';

export const INDEX_FILE = 'index.html';

export interface IndexPageInput {
  outDir: string;
  results: readonly RunResult[];
  skipped: readonly SkippedRun[];
  /** each run's HTML report (run-report-files.ts), when one was written */
  reports: ReadonlyMap<RunResult, string>;
  shard?: Shard;
  grep?: RegExp;
  /** how long the whole `tlssim run` took */
  wallMs?: number;
}

type Status = 'failed' | 'flaky' | 'passed' | 'skipped';
const ORDER: Status[] = ['failed', 'flaky', 'passed', 'skipped'];

const n = (value: number) => value.toLocaleString('en-US');
const statusOf = (r: RunResult): Status => (r.status === 'failed' ? 'failed' : r.flaky ? 'flaky' : 'passed');

const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111827; background: #f9fafb; }
header { background: #111827; color: #f9fafb; padding: 16px 24px; }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: #d1d5db; }
main { padding: 16px 24px 48px; overflow-x: auto; }
table { border-collapse: collapse; background: #fff; border: 1px solid #e5e7eb; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f4f6; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.files a { margin-right: 8px; white-space: nowrap; }
.status { font-weight: 600; border-radius: 999px; padding: 1px 10px; border: 1px solid; white-space: nowrap; }
.status.passed { color: #059669; background: #ecfdf5; }
.status.flaky { color: #ca8a04; background: #fefce8; }
.status.failed { color: #dc2626; background: #fef2f2; }
.status.skipped { color: #6b7280; background: #f3f4f6; }
td.name { white-space: nowrap; }
.note { font-size: 12.5px; color: #374151; max-width: 48em; }
td.note { min-width: 28em; }
.note code { font-family: ui-monospace, Menlo, Consolas, monospace; }
`;

export function renderIndexPage(input: IndexPageInput): string {
  const counts = Object.fromEntries(ORDER.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of input.results) counts[statusOf(r)]++;
  counts.skipped = input.skipped.length;
  const link = (path: string, label: string) =>
    path ? `<a href="${escapeHtml(href(input.outDir, path))}">${escapeHtml(label)}</a>` : '';
  const runRows = input.results.map((r) => ({
    status: statusOf(r),
    key: `${r.scenario}\0${r.mode}`,
    html: runRow(r, input, link),
  }));
  const skipRows = input.skipped.map((s) => ({
    status: 'skipped' as const,
    key: `${s.scenario}\0${s.mode}`,
    html: skipRow(s),
  }));
  // Failures first: what a reader of a red build opens the page for.
  const rows = [...runRows, ...skipRows]
    .sort(
      (a, b) =>
        ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .map((row) => row.html);
  const facts = [
    ORDER.map((s) => `${counts[s]} ${s}`).join(', '),
    input.shard ? `shard ${input.shard.index}/${input.shard.total}` : '',
    input.grep ? `--grep ${input.grep}` : '',
    input.wallMs === undefined ? '' : `${(input.wallMs / 1000).toFixed(1)} s`,
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tlssim run: ${escapeHtml(facts[0])}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>tlssim run</h1>
<p id="counts">${escapeHtml(facts.join(' · '))}</p>
</header>
<main>
<table id="runs">
<thead><tr><th>run</th><th>status</th><th>duration</th><th>MCU TLS heap peak</th><th>air up / down</th><th>UART tx / rx</th><th>handshakes full / resumed</th><th>files</th><th>notes</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="note">Costs as docs/costs.md defines them: Mbed TLS heap on the MCU (0 in offload mode), bytes over the air with header estimate, UART bytes as the wire counted them.</p>
</main>
</body>
</html>
`;
}

function runRow(r: RunResult, input: IndexPageInput, link: (path: string, label: string) => string): string {
  const c = r.costs;
  const status = statusOf(r);
  const files = [
    link(input.reports.get(r) ?? '', 'report'),
    link(r.logs.trace, 'uart.jsonl'),
    link(r.logs.mcu, 'mcu.log'),
    link(r.logs.modem, 'modem.log'),
  ].filter(Boolean);
  const notes: string[] = [];
  if (r.status === 'failed')
    notes.push(
      `${escapeHtml(r.step ?? '?')}: ${escapeHtml(r.error ?? 'failed')}${r.where ? ` <code>${escapeHtml(r.where)}</code>` : ''}`,
    );
  for (const a of (r.attempts ?? []).slice(0, -1)) {
    const logs = [
      link(a.logs.trace, 'uart.jsonl'),
      link(a.logs.mcu, 'mcu.log'),
      link(a.logs.modem, 'modem.log'),
    ];
    notes.push(
      `attempt ${a.attempt} ${escapeHtml(a.status)}: ${escapeHtml(a.error ?? '')} ${logs.filter(Boolean).join(' ')}`,
    );
  }
  return `<tr class="run ${status}" data-run="${escapeHtml(`${r.scenario} (${r.mode})`)}" data-status="${status}">
<td class="name">${escapeHtml(r.scenario)} (${escapeHtml(r.mode)})</td>
<td><span class="status ${status}">${status}</span></td>
<td class="num" data-duration-ms="${r.durationMs}">${(r.durationMs / 1000).toFixed(1)} s</td>
<td class="num" data-cost="mcuTlsHeapPeakBytes">${n(c.mcuTlsHeapPeakBytes)} B</td>
<td class="num" data-cost="airBytes">${n(c.airBytes.up)} / ${n(c.airBytes.down)} B</td>
<td class="num" data-cost="uartBytes">${n(c.uartBytes.tx)} / ${n(c.uartBytes.rx)} B</td>
<td class="num" data-cost="handshakes">${c.handshakes.full} / ${c.handshakes.resumed}</td>
<td class="files">${files.join('')}</td>
<td class="note">${notes.join('<br>')}</td>
</tr>`;
}

function skipRow(s: SkippedRun): string {
  return `<tr class="run skipped" data-run="${escapeHtml(`${s.scenario} (${s.mode})`)}" data-status="skipped">
<td class="name">${escapeHtml(s.scenario)} (${escapeHtml(s.mode)})</td>
<td><span class="status skipped">skipped</span></td>
<td></td><td></td><td></td><td></td><td></td><td></td>
<td class="note">${escapeHtml(s.reason)}</td>
</tr>`;
}

/** A link from index.html to a file under (usually) the out folder, each path segment URL-encoded. */
function href(outDir: string, path: string): string {
  return relative(outDir, path).split(sep).map(encodeURIComponent).join('/');
}

/** Writes <outDir>/index.html; returns its path. */
export function writeIndexPage(input: IndexPageInput): string {
  mkdirSync(input.outDir, { recursive: true });
  const file = join(input.outDir, INDEX_FILE);
  writeFileSync(file, renderIndexPage(input));
  return file;
}
