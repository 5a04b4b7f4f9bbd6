// The rules docs/architecture.md ("Layers") sets for the source tree, checked on the files themselves:
// the device never imports the harness, shared/ imports only shared/, exports keep their names, and
// comments cite only what a maintainer can open.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect } from 'chai';

const root = resolve(import.meta.dirname, '..');
const SOURCE_FOLDERS = ['mcu', 'modem', 'shared', 'lab', 'bench', 'scenarios', 'test', 'bin'];

function sourceFiles(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|mts|mjs)$/.test(entry.name)) out.push(path);
    }
  };
  walk(join(root, folder));
  return out;
}

/** Import and re-export specifiers of a file, resolved to paths relative to the repository. */
function importedPaths(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g)].map(
    (m) => m[1],
  );
  const dynamic = [...text.matchAll(/import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
  return [...specifiers, ...dynamic]
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(root, resolve(join(file, '..'), s)));
}

const violations = (files: string[], bad: (imported: string) => boolean) =>
  files.flatMap((file) =>
    importedPaths(file)
      .filter(bad)
      .map((imported) => `${relative(root, file)} imports ${imported}`),
  );

describe('source layering (docs/architecture.md, "Layers")', () => {
  it('the device (mcu/, modem/) never imports the harness (lab/)', () => {
    const files = [...sourceFiles('mcu'), ...sourceFiles('modem')];
    expect(files.length).to.be.greaterThan(50);
    expect(violations(files, (p) => p.startsWith('lab/') || p === 'index.ts')).to.deep.equal([]);
  });

  it('shared/ imports nothing of tlssim outside shared/', () => {
    const files = sourceFiles('shared');
    expect(
      violations(files, (p) => !p.startsWith('shared/') && !p.startsWith('node_modules/')),
    ).to.deep.equal([]);
  });

  it('exports keep their names (no aliases that rename on export)', () => {
    const renamed = ['mcu', 'modem', 'shared', 'lab']
      .flatMap(sourceFiles)
      .concat(join(root, 'index.ts'))
      .filter((file) => /export\s*\{[^}]*\b\w+\s+as\s+\w+/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(renamed).to.deep.equal([]);
  });

  it('comments cite what a maintainer can open, never a section of a file outside the repository', () => {
    // An RFC's sections can be opened by anyone; "reference §3.4" or design.md cannot.
    const uncitable = /reference §|design\.md|mbed-os-reference|modem-at-reference|§\d/;
    const self = resolve(import.meta.filename);
    const stale = SOURCE_FOLDERS.flatMap(sourceFiles)
      .concat(join(root, 'index.ts'))
      .filter((file) => file !== self)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ line, where: `${relative(root, file)}:${index + 1}` }))
          .filter(({ line }) => uncitable.test(line) && !/\bRFC \d+/.test(line)),
      )
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(stale).to.deep.equal([]);
  });
});
