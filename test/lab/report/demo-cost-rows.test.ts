// The cost rows of `tlssim demo`'s table, from runs' costs, air.jsonl and metrics (docs/costs.md).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { groupDigits, handshakeSharePercent, reconnectFigures } from '../../../lab/report/cost-figures.ts';
import { demoCostRows } from '../../../lab/report/demo-cost-rows.ts';
import { failedResult, type ScenarioResult } from '../../../lab/runner/run-scenario.ts';
import { airTotals } from '../../../modem/air/air-ledger.ts';
import { mbedtlsCosts, offloadReconnectCosts, RECONNECT_CONNECTIONS } from './helpers/cost-fixtures.ts';

describe('demo cost rows', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tlssim-demo-rows-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function passedRun(name: string, costs: ScenarioResult['costs'], metrics: Record<string, number>) {
    const runDir = join(dir, name);
    mkdirSync(runDir);
    return {
      ...failedResult({ file: `${name}.ts`, mode: 'offload' }, '', ''),
      status: 'passed',
      dir: runDir,
      costs,
      metrics,
    } as ScenarioResult;
  }

  it('shows heap, air and the reconnect from what the runs measured', () => {
    const send = passedRun('send', mbedtlsCosts(), { handshakeMs: 157 });
    const reconnect = passedRun('reconnect', offloadReconnectCosts(), {
      firstConnectMs: 30,
      secondConnectMs: 14,
    });
    writeFileSync(join(reconnect.dir, 'air.jsonl'), JSON.stringify({ connections: RECONNECT_CONNECTIONS }));
    const offloadSend = passedRun('offload-send', offloadReconnectCosts(), {});
    const rows = demoCostRows({ send, reconnect }, { send: offloadSend, reconnect });
    expect(rows).to.deep.equal([
      ['MCU TLS heap (peak)', '49 102 B', '0 + 1 229 B credentials'],
      ['MCU TLS heap after close', '0 B', '0 B'],
      ['bytes over the air up / down', '902 / 2 868 B', '1 544 / 3 307 B'],
      ['  of which TLS handshake', '2 846 B (75 %)', '3 331 B (69 %)'],
      ['reconnect air bytes: full → resumed', '3 527 → 1 324 B (38 %)', '3 527 → 1 324 B (38 %)'],
      ['reconnect connect(): full → resumed', '30 → 14 ms', '30 → 14 ms'],
    ]);
  });

  it('says so when a run failed, the reconnect did not resume, or air.jsonl is missing', () => {
    const failed = failedResult({ file: 'x.ts', mode: 'mbedtls' }, 'start the modem', 'boom');
    const notResumed = passedRun(
      'plain',
      { ...offloadReconnectCosts(), handshakes: { full: 2, resumed: 0 } },
      {},
    );
    writeFileSync(join(notResumed.dir, 'air.jsonl'), JSON.stringify({ connections: RECONNECT_CONNECTIONS }));
    const noAir = passedRun('no-air', offloadReconnectCosts(), {});
    const rows = new Map(
      demoCostRows({ send: failed, reconnect: notResumed }, { send: undefined, reconnect: noAir }).map(
        ([label, ...cells]) => [label, cells],
      ),
    );
    expect(rows.get('MCU TLS heap (peak)')).to.deep.equal(['n/a (run failed)', 'n/a (run failed)']);
    expect(rows.get('reconnect air bytes: full → resumed')).to.deep.equal([
      '3 527 → 1 324 B (not resumed)',
      'n/a (fewer than 2 connections)',
    ]);
    expect(rows.get('reconnect connect(): full → resumed')).to.deep.equal(['n/a', 'n/a']);
  });

  it('groups digits by spaces, and takes no share of nothing', () => {
    expect([0, 999, 1229, 49_102, 1_234_567].map(groupDigits)).to.deep.equal([
      '0',
      '999',
      '1 229',
      '49 102',
      '1 234 567',
    ]);
    expect(handshakeSharePercent(airTotals([]))).to.equal(0);
    expect(reconnectFigures(RECONNECT_CONNECTIONS.slice(0, 1), 1)).to.equal(null);
  });
});
