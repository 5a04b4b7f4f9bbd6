// What one MCU or modem process costs to start, compiled (dist/, tools/build-js.mjs) against through tsx
// (TLSSIM_TSX=1): CPU (user + system, every thread) of a process that loads its whole module graph and
// the scenario, then stops at the UART, which nothing listens on. Needs a current dist/ (npm run build:js).
// TLSSIM_START_BENCH_RUNS sets the starts per figure (default 5; the median is shown).
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { distPath, distStaleReason, ROOT } from '../tools/compiled-js.mjs';
import type { Row } from './at-and-echo.bench.ts';

const CPU_AT_EXIT = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('cpu-us '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cpuMs(launch: string[], args: string[]): number {
  const result = spawnSync(process.execPath, ['--import', CPU_AT_EXIT, ...launch, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const match = /cpu-us (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`no CPU figure from ${args[0]}: ${result.stderr}`);
  return Number(match[1]) / 1000;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchProcessStart(): Promise<Row[]> {
  const stale = distStaleReason();
  if (stale) throw new Error(`dist/ cannot be used (${stale}): npm run build:js first`);
  const runs = Number(process.env.TLSSIM_START_BENCH_RUNS ?? 5);
  const uart = `tcp://127.0.0.1:${await closedPort()}`;
  const launches = {
    compiled: [distPath('lab/cli/main.ts')],
    tsx: ['--import', import.meta.resolve('tsx/esm'), join(ROOT, 'lab/cli/main.ts')],
  };
  const processes = {
    modem: ['modem', '--uart', uart],
    mcu: [
      'mcu',
      '--uart',
      uart,
      '--scenario',
      join(ROOT, 'scenarios/plain-tcp-echo.ts'),
      '--mode',
      'mbedtls',
    ],
    'tlssim --help': ['--help'],
  };
  const rows: Row[] = [];
  for (const [name, args] of Object.entries(processes)) {
    const figures: Record<string, number> = {};
    for (const [how, launch] of Object.entries(launches)) {
      cpuMs(launch, args); // warm the file cache and tsx's
      figures[how] = median(Array.from({ length: runs }, () => cpuMs(launch, args)));
    }
    rows.push({
      figure: `${name}: CPU to start, compiled | tsx`,
      value: `${figures.compiled.toFixed(0)} ms | ${figures.tsx.toFixed(0)} ms`,
      ratio: `${(figures.tsx / figures.compiled).toFixed(1)}×`,
    });
  }
  return rows;
}
