// JUnit for retried runs, in Maven Surefire's elements (surefire-test-report-3.0.xsd): a flaky run is a
// passing testcase with a <flakyFailure> per failed attempt; a run that failed every attempt has its
// <failure> then a <rerunFailure> per earlier one; each carries the required type and <stackTrace>,
// in the schema's element order. Checked with an independent XML parser (Python's ElementTree).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { junitXml } from '../../../lab/report/junit.ts';
import { failedAttempt, fakeResult, lastAttempt } from './helpers/run-results.ts';

const READ = `
import json, sys, xml.etree.ElementTree as ET
suite = ET.parse(sys.argv[1]).getroot().find('testsuite')
out = {'suite': {k: suite.get(k) for k in ('tests', 'failures', 'errors', 'skipped')}, 'cases': {}}
for case in suite.findall('testcase'):
    out['cases'][case.get('name')] = {
        'children': [child.tag for child in case],
        'reruns': [{'tag': c.tag, 'type': c.get('type'), 'message': c.get('message'),
                    'stackTrace': c.findtext('stackTrace'), 'out': c.findtext('system-out')}
                   for c in case if c.tag in ('flakyFailure', 'rerunFailure')],
        'properties': {p.get('name'): p.get('value') for p in case.iter('property') if p.get('name') in ('attempts', 'flaky')},
    }
print(json.dumps(out))
`;

describe('JUnit for retried runs (tlssim run --retries)', () => {
  it('a flaky run passes with <flakyFailure>; a failed one has <failure> and <rerunFailure>', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlssim-junit-retries-'));
    const passed = fakeResult(dir, 'steady', 'passed');
    const flaky = fakeResult(dir, 'wobbly', 'passed');
    flaky.attempts = [failedAttempt(flaky, 1), lastAttempt(flaky, 2)];
    flaky.flaky = true;
    const failed = fakeResult(dir, 'broken', 'failed');
    failed.attempts = [failedAttempt(failed, 1), failedAttempt(failed, 2), lastAttempt(failed, 3)];
    const file = join(dir, 'junit.xml');
    writeFileSync(file, junitXml([passed, flaky, failed]));
    const read = spawnSync('python3', ['-c', READ, file], { encoding: 'utf8' });
    expect(read.status, read.stderr).to.equal(0);
    const { suite, cases } = JSON.parse(read.stdout);
    // The flaky run counts as passed: one failure in the suite.
    expect(suite).to.deep.equal({ tests: '3', failures: '1', errors: '0', skipped: '0' });
    expect(cases.steady.children).to.deep.equal(['properties', 'system-out']);
    expect(cases.wobbly.children).to.deep.equal(['properties', 'flakyFailure', 'system-out']);
    expect(cases.wobbly.properties).to.deep.equal({ attempts: '2', flaky: 'true' });
    const [flakyFailure] = cases.wobbly.reruns;
    expect(flakyFailure).to.include({
      tag: 'flakyFailure',
      type: 'handshake',
      message: 'attempt 1: timed out <after> 4 s',
    });
    expect(flakyFailure.stackTrace).to.contain('step: handshake');
    expect(flakyFailure.out).to.contain(join(dir, 'wobbly', 'mbedtls.attempt-1', 'mcu.log'));
    expect(cases.broken.children).to.deep.equal([
      'properties',
      'failure',
      'rerunFailure',
      'rerunFailure',
      'system-out',
    ]);
    expect(cases.broken.properties).to.deep.equal({ attempts: '3' });
    expect(cases.broken.reruns.map((r: { message: string }) => r.message)).to.deep.equal([
      'attempt 1: timed out <after> 4 s',
      'attempt 2: timed out <after> 4 s',
    ]);
  });
});
