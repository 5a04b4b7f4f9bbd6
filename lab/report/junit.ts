// JUnit XML for CI systems: one testsuite per run, one testcase per scenario and mode. A failed run is
// a <failure> carrying what explains it (the scenario's line, the Mbed TLS and modem errors, the log
// paths) and the end of mcu.log as system-out; a run that never started (its scenario did not load)
// is an <error>; a mode the scenario does not support is <skipped/>. A retried run keeps its earlier
// attempts in Maven Surefire's elements (surefire-test-report-3.0.xsd, which Jenkins, GitLab and most
// JUnit readers follow): a run that passed on a retry is a passing testcase with a <flakyFailure> per
// failed attempt; one that failed every attempt has its <failure> and a <rerunFailure> per earlier one.
// Readers that ignore those still see the properties `attempts` and `flaky`.

import type { Attempt, RunResult } from '../runner/retry.ts';
import { failureLines, type SkippedRun } from './failure-lines.ts';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** A run's costs and metrics as JUnit properties (flat names, e.g. costs.airBytes.handshake.up). */
function properties(result: RunResult): string {
  const rows: string[] = [];
  const add = (prefix: string, value: unknown) => {
    if (typeof value === 'number') rows.push(`      <property name="${xml(prefix)}" value="${value}"/>`);
    else if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) add(`${prefix}.${key}`, inner);
  };
  add('costs', result.costs);
  add('metrics', result.metrics);
  // The clock the run ran on, the simulated time it covered and where its host time went.
  if (result.clock) rows.push(`      <property name="clock" value="${result.clock}"/>`);
  add('simulatedMs', result.simulatedMs);
  add('phases', result.phases);
  if (result.attempts) add('attempts', result.attempts.length);
  if (result.flaky) rows.push('      <property name="flaky" value="true"/>');
  return rows.length ? `\n    <properties>\n${rows.join('\n')}\n    </properties>` : '';
}

function outcome(r: RunResult): string {
  const earlier = (r.attempts ?? []).slice(0, -1);
  if (r.status === 'passed') return earlier.map((a) => retried('flakyFailure', a)).join('');
  const tag = r.notStarted ? 'error' : 'failure';
  const message = r.where ? `${r.error ?? 'failed'} (${r.where})` : (r.error ?? 'failed');
  const reruns = earlier.map((a) => retried(r.notStarted ? 'rerunError' : 'rerunFailure', a));
  // Surefire's order: <failure>, then the reruns; <error> comes after them.
  return tag === 'failure'
    ? `\n    <failure message="${xml(message)}">${xml(failureLines(r).join('\n'))}</failure>${reruns.join('')}`
    : `${reruns.join('')}\n    <error message="${xml(message)}">${xml(failureLines(r).join('\n'))}</error>`;
}

/** A failed earlier attempt, as Surefire writes one (its `type` and <stackTrace> are required there). */
function retried(tag: string, a: Attempt): string {
  const message = `attempt ${a.attempt}: ${a.error ?? 'failed'}${a.where ? ` (${a.where})` : ''}`;
  const lines = [
    `step: ${a.step ?? '?'}`,
    `error: ${a.error ?? ''}`,
    ...(a.causes ?? []).map((c) => `cause: ${c}`),
  ];
  const files = [a.logs.mcu, a.logs.modem, a.logs.trace].filter(Boolean);
  return `\n    <${tag} message="${xml(message)}" type="${xml(a.step ?? 'failed')}"><stackTrace>${xml(lines.join('\n'))}</stackTrace><system-out>${xml([`folder: ${a.dir}`, ...files].join('\n'))}</system-out></${tag}>`;
}

/** The end of mcu.log for a failure (the lines before the error), else where the trace is. */
function systemOut(r: RunResult): string {
  const lines = r.mcuLogTail?.length ? [`mcu.log (last ${r.mcuLogTail.length} lines):`, ...r.mcuLogTail] : [];
  return xml([`trace: ${r.trace}`, ...lines].join('\n'));
}

function testcase(suiteName: string, mode: string, name: string, seconds: string, body: string): string {
  return `  <testcase classname="${xml(`${suiteName}.${mode}`)}" name="${xml(name)}" time="${seconds}">${body}\n  </testcase>`;
}

/** `wallMs`: how long the whole run took (runs overlap, so their durations do not add up to it). */
export function junitXml(
  results: RunResult[],
  suiteName = 'tlssim',
  wallMs?: number,
  skipped: SkippedRun[] = [],
): string {
  const errors = results.filter((r) => r.status === 'failed' && r.notStarted).length;
  const failures = results.filter((r) => r.status === 'failed').length - errors;
  const tests = results.length + skipped.length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = wallMs ?? results.reduce((sum, r) => sum + r.durationMs, 0);
  const cases = [
    ...results.map((r) =>
      testcase(
        suiteName,
        r.mode,
        r.scenario,
        seconds(r.durationMs),
        `${properties(r)}${outcome(r)}\n    <system-out>${systemOut(r)}</system-out>`,
      ),
    ),
    ...skipped.map((s) =>
      testcase(suiteName, s.mode, s.scenario, '0.000', `\n    <skipped message="${xml(s.reason)}"/>`),
    ),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped.length}" time="${seconds(total)}">
<testsuite name="${xml(suiteName)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped.length}" time="${seconds(total)}">
${cases.join('\n')}
</testsuite>
</testsuites>
`;
}
