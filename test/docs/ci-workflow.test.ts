// docs/ci.md's GitHub Actions workflow, parsed as YAML and checked against the CLI it drives: the shard
// matrix and `--shard …/N` agree, the packages .ci/run installs are installed, the JUnit file is inside
// the uploaded folder and the report job reads it, and the command line itself, run with --list for
// each matrix value, makes every run of the suite exactly once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { runCommand } from '../../lab/cli/run-command.ts';

// GitHub's expression syntax, not a template placeholder.
const SHARD = ['${{', 'matrix.shard', '}}'].join(' ');
const root = resolve(import.meta.dirname, '../..');
const page = readFileSync(resolve(root, 'docs/ci.md'), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  container?: string;
  strategy?: { 'fail-fast'?: boolean; matrix?: { shard?: unknown[] } };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** What `tlssim run ARGS` prints, in this process (console.log captured). */
async function tlssimRun(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
  try {
    return { code: await runCommand.run(args), lines };
  } finally {
    console.log = original;
  }
}

describe('docs/ci.md: the GitHub Actions workflow', function () {
  this.timeout(60_000);
  const blocks = yamlBlocks(page);
  const workflow = parse(blocks.find((b) => /^jobs:/m.test(b)) ?? '') as Workflow;
  const jobs = Object.values(workflow.jobs ?? {});
  const sharded = jobs.find((job) => job.strategy?.matrix?.shard);
  const steps = sharded?.steps ?? [];
  const tlssimStep = steps.find((s) => s.run?.includes('bin/tlssim.mjs run'));
  const shards = (sharded?.strategy?.matrix?.shard ?? []) as number[];

  it('parses, runs on push and pull requests, and has a shard matrix 1..N that does not fail fast', () => {
    expect(workflow.on).to.have.keys('push', 'pull_request');
    expect(sharded, 'a job with a shard matrix').to.not.equal(undefined);
    expect(shards.length).to.be.at.least(2);
    expect(shards).to.deep.equal(Array.from({ length: shards.length }, (_, i) => i + 1));
    expect(sharded?.strategy?.['fail-fast']).to.equal(false);
  });

  it('checks out, installs what .ci/run installs, runs npm ci, then tlssim with --shard <matrix.shard>/N', () => {
    expect(steps[0].uses).to.match(/^actions\/checkout@v\d+$/);
    const apt = steps.find((s) => s.run?.includes('apt-get install'))?.run ?? '';
    const ciRun = readFileSync(resolve(root, '.ci/run'), 'utf8');
    for (const pkg of [...ciRun.matchAll(/missing\+=\(([\w-]+)\)/g)].map((m) => m[1]))
      expect(apt, `apt-get install ${pkg}`).to.match(new RegExp(`\\b${pkg}\\b`));
    const order = (needle: string) => steps.findIndex((s) => s.run?.includes(needle));
    expect(order('npm ci')).to.be.greaterThan(order('apt-get install'));
    expect(order('bin/tlssim.mjs run')).to.be.greaterThan(order('npm ci'));
    expect(tlssimStep?.run).to.contain(`--shard ${SHARD}/${shards.length}`);
  });

  it('uploads the folder holding the JUnit file, even when the shard failed, and publishes it', () => {
    // The matrix expression has spaces in it: a placeholder keeps each argument one word.
    const run = (tlssimStep?.run ?? '').replaceAll(SHARD, '@SHARD@');
    const junit = (/--junit (\S+)/.exec(run)?.[1] ?? '').replaceAll('@SHARD@', SHARD);
    const out = /--out (\S+)/.exec(run)?.[1] ?? 'out';
    expect(junit.startsWith(`${out}/`), `${junit} is under --out ${out}`).to.equal(true);
    expect(junit).to.contain(SHARD);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.if).to.match(/!cancelled\(\)|always\(\)/);
    expect(String(upload?.with?.path).replace(/\/$/, '')).to.equal(out);
    const artifact = String(upload?.with?.name);
    expect(artifact).to.contain(SHARD);
    // The report job downloads every shard's artifact (one folder each) and reads their JUnit files.
    const report = jobs.find((job) =>
      job.steps.some((s) => s.uses?.startsWith('actions/download-artifact@')),
    );
    expect(report?.needs).to.satisfy((needs: string | string[]) =>
      [needs].flat().some((name) => workflow.jobs[name] === sharded),
    );
    const download = report?.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    const pattern = String(download?.with?.pattern);
    const glob = (text: string) => new RegExp(`^${text.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
    const junitReader = report?.steps.find((s) => s.with?.report_paths);
    const readPaths = glob(String(junitReader?.with?.report_paths));
    for (const shard of shards) {
      const name = artifact.replace(SHARD, String(shard));
      expect(name).to.match(glob(pattern));
      const file = `${download?.with?.path}/${name}/${junit.slice(out.length + 1).replace(SHARD, String(shard))}`;
      expect(file).to.match(readPaths);
    }
  });

  it('its tlssim command line, with each matrix value, makes every run of the suite exactly once', async () => {
    const command = (tlssimStep?.run ?? '').trim();
    expect(command).to.match(/^node bin\/tlssim\.mjs run /);
    const args = (shard: number) =>
      command
        .replace(/^node bin\/tlssim\.mjs run /, '')
        .replaceAll(SHARD, String(shard))
        .split(/\s+/)
        .filter((arg, i, all) => arg !== '--junit' && all[i - 1] !== '--junit');
    const withoutShard = await tlssimRun(['--list']);
    expect(withoutShard.code).to.equal(0);
    const seen: string[] = [];
    for (const shard of shards) {
      const part = await tlssimRun([...args(shard), '--list']);
      expect(part.code, `shard ${shard}`).to.equal(0);
      seen.push(...part.lines);
    }
    expect(seen.length).to.be.greaterThan(10);
    expect([...seen].sort()).to.deep.equal([...withoutShard.lines].sort());
  });
});
