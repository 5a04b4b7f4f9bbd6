import { X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { readLabPki } from '../../../lab/pki/lab-pki.ts';
import { pkiProblems, RENEW_MARGIN_DAYS } from '../../../lab/pki/pki-health.ts';
import { PKI_FILES } from '../../../lab/pki/pki-layout.ts';
import { defaultPkiDir, loadOrCreatePki, loadUsablePki, PKI_DIR_ENV } from '../../../lab/pki/pki-store.ts';
import { sharedTestPki } from './shared-test-pki.ts';

const DAY = 24 * 60 * 60 * 1000;

describe('lab/pki the PKI cache on disk', () => {
  let shared: LabPki;
  let scratch: string;

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    shared = await sharedTestPki();
  });
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'tlssim-pki-store-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  /** A copy of the shared PKI, to damage without regenerating the shared one. */
  function copyOfShared(): string {
    const dir = join(scratch, 'pki');
    cpSync(shared.dir, dir, { recursive: true });
    return dir;
  }

  it('finds nothing wrong with a fresh PKI', () => {
    expect(pkiProblems(shared)).to.deep.equal([]);
  });

  it('reuses a healthy directory instead of generating a new PKI', async () => {
    const dir = copyOfShared();
    const loaded = await loadOrCreatePki(dir);
    expect(loaded.dir).to.equal(dir);
    expect(loaded.caPem).to.equal(shared.caPem);
    expect(loaded.generated).to.equal(shared.generated);
    expect(loaded.servers.echo.keyPath).to.equal(join(dir, 'servers', 'echo.key'));
  });

  it('regenerates when a file is missing, and concurrent callers share the one generation', async function () {
    this.timeout(30_000);
    const dir = copyOfShared();
    rmSync(join(dir, PKI_FILES.clientKey));
    const [first, second] = await Promise.all([loadOrCreatePki(dir), loadOrCreatePki(dir)]);
    expect(first.caPem).to.not.equal(shared.caPem);
    expect(second.caPem).to.equal(first.caPem);
    expect(readFileSync(join(dir, PKI_FILES.clientKey), 'utf8')).to.equal(first.clientKeyPem);
    expect(pkiProblems(first)).to.deep.equal([]);
  });

  it('judges a PKI stale as its certificates near their end (so the cache renews it)', () => {
    const end = Date.parse(new X509Certificate(shared.servers.echo.certPem).validTo);
    const soon = new Date(end - DAY);
    const problems = pkiProblems(shared, soon);
    expect(problems).to.include(
      `server echo: expires ${new X509Certificate(shared.servers.echo.certPem).validTo}, within ${RENEW_MARGIN_DAYS} days`,
    );
    expect(loadUsablePki(shared.dir, soon)).to.equal(undefined);
    expect(loadUsablePki(shared.dir, new Date(Date.parse(shared.generated) + 100 * DAY))).to.not.equal(
      undefined,
    );
  });

  it('judges a PKI stale when the not-yet-valid certificate is about to become valid', () => {
    const start = Date.parse(new X509Certificate(shared.servers['not-yet-valid'].certPem).validFrom);
    const problems = pkiProblems(shared, new Date(start - DAY));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^server not-yet-valid: meant to be not yet valid/);
  });

  it('spots a key that does not belong to its certificate', () => {
    const dir = copyOfShared();
    writeFileSync(join(dir, 'servers', 'echo.key'), shared.servers.rsa1024.keyPem);
    expect(pkiProblems(readLabPki(dir))).to.deep.equal(['server echo: key does not match']);
  });

  it('spots a certificate its CA did not sign (files from two generations)', () => {
    const dir = copyOfShared();
    writeFileSync(join(dir, PKI_FILES.intermediate), shared.untrustedRootPem);
    const problems = pkiProblems(readLabPki(dir));
    expect(problems).to.include('intermediate CA: not signed by O=tlssim test lab\nCN=tlssim Test Root CA');
    expect(problems).to.include('client: not signed by O=tlssim untrusted\nCN=tlssim Untrusted Root CA');
  });

  it('refuses a directory written by another format version, and garbage PEM', () => {
    const dir = copyOfShared();
    const manifestPath = join(dir, PKI_FILES.manifest);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: 0 }));
    const why: string[] = [];
    expect(loadUsablePki(dir, new Date(), why)).to.equal(undefined);
    expect(why[0]).to.match(/expected v\d+/);
    writeFileSync(manifestPath, JSON.stringify(manifest));
    writeFileSync(join(dir, PKI_FILES.ca), 'not a certificate');
    expect(pkiProblems(readLabPki(dir))[0]).to.match(/^root CA: cannot parse/);
  });

  it(`takes its default directory from ${PKI_DIR_ENV}`, () => {
    const saved = process.env[PKI_DIR_ENV];
    try {
      process.env[PKI_DIR_ENV] = join(scratch, 'elsewhere');
      expect(defaultPkiDir()).to.equal(join(scratch, 'elsewhere'));
      delete process.env[PKI_DIR_ENV];
      expect(defaultPkiDir()).to.match(/tlssim-pki-/);
    } finally {
      if (saved === undefined) delete process.env[PKI_DIR_ENV];
      else process.env[PKI_DIR_ENV] = saved;
    }
  });
});
