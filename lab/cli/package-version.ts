// `tlssim --version`: the version in package.json, read at run time so it cannot drift from a release.
import { readFileSync } from 'node:fs';
import { packagePath } from '../../shared/package-root.ts';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
