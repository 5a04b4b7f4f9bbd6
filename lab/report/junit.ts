// JUnit XML for CI systems: one testsuite per run, one testcase per scenario and mode.
import type { ScenarioResult } from '../runner/run-scenario.ts';

function xml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** A run's costs and metrics as JUnit properties (flat names, e.g. costs.airBytes.handshake.up). */
function properties(result: ScenarioResult): string {
  const rows: string[] = [];
  const add = (prefix: string, value: unknown) => {
    if (typeof value === 'number') rows.push(`      <property name="${xml(prefix)}" value="${value}"/>`);
    else if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) add(`${prefix}.${key}`, inner);
  };
  add('costs', result.costs);
  add('metrics', result.metrics);
  return rows.length ? `\n    <properties>\n${rows.join('\n')}\n    </properties>` : '';
}

/** `wallMs`: how long the whole run took (runs overlap, so their durations do not add up to it). */
export function junitXml(results: ScenarioResult[], suiteName = 'tlssim', wallMs?: number): string {
  const failures = results.filter((r) => r.status === 'failed').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = wallMs ?? results.reduce((sum, r) => sum + r.durationMs, 0);
  const cases = results.map((r) => {
    const head = `  <testcase classname="${xml(`${suiteName}.${r.mode}`)}" name="${xml(r.scenario)}" time="${seconds(r.durationMs)}">`;
    const failure =
      r.status === 'failed'
        ? `\n    <failure message="${xml(r.error ?? 'failed')}">${xml(`step: ${r.step ?? '?'}\n${r.error ?? ''}\ntrace: ${r.trace}`)}</failure>`
        : '';
    return `${head}${properties(r)}${failure}\n    <system-out>${xml(`trace: ${r.trace}`)}</system-out>\n  </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="${results.length}" failures="${failures}" time="${seconds(total)}">
<testsuite name="${xml(suiteName)}" tests="${results.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(total)}">
${cases.join('\n')}
</testsuite>
</testsuites>
`;
}
