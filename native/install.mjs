// Builds the Mbed TLS binding (build/Release/tlssim_mbedtls.node); run by `npm ci` as the install script,
// or by hand: `node native/install.mjs`. Needs the system's Mbed TLS 2.28 development files; when they
// are missing it installs them with apt-get if it runs as root on Debian/Ubuntu, and otherwise stops
// with the one command to run. TLSSIM_SKIP_NATIVE=1 skips the whole step (offload-only machines).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mbedtlsHeader = '/usr/include/mbedtls/ssl.h';
const mbedtlsVersionHeader = '/usr/include/mbedtls/version.h';
const addon = path.join(root, 'build', 'Release', 'tlssim_mbedtls.node');

const say = (message) => console.log(`[tlssim native] ${message}`);

function fail(message) {
  console.error(`[tlssim native] ERROR: ${message}`);
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function isDebianLike() {
  if (existsSync('/etc/debian_version')) return true;
  try {
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease);
  } catch {
    return false;
  }
}

function run(command, args, env = process.env) {
  say(`running: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env });
  if (result.status !== 0)
    fail(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
}

// The Debian packages this build needs that are not there yet.
function missingPackages() {
  const missing = [];
  if (!existsSync(mbedtlsHeader)) missing.push('libmbedtls-dev');
  if (!onPath('make')) missing.push('make');
  if (!onPath('g++') && !onPath('c++')) missing.push('g++');
  if (!onPath('python3')) missing.push('python3');
  return missing;
}

function ensureSystemPackages() {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const install = `apt-get install -y ${missing.join(' ')}`;
  say(`missing: ${missing.join(', ')}`);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && isDebianLike() && onPath('apt-get')) {
    say('running as root on Debian/Ubuntu: installing them with apt-get');
    const noninteractive = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update'], noninteractive);
    run('apt-get', ['install', '-y', ...missing], noninteractive);
    if (missingPackages().length > 0) fail(`still missing after apt-get: ${missingPackages().join(', ')}`);
    return;
  }
  if (isDebianLike())
    fail(`install them first, then run \`npm ci\` again:\n    sudo apt-get update && sudo ${install}`);
  fail(
    'needs the Mbed TLS 2.28 development files (headers in /usr/include/mbedtls, libmbedtls, libmbedx509, ' +
      'libmbedcrypto), make, a C++ compiler and python3. On Debian/Ubuntu:\n' +
      `    sudo apt-get update && sudo ${install}`,
  );
}

// The binding is written against the 2.x API (2.28 LTS); 3.x changed function signatures.
function checkMbedtlsVersion() {
  const text = existsSync(mbedtlsVersionHeader) ? readFileSync(mbedtlsVersionHeader, 'utf8') : '';
  const version = text.match(/#define\s+MBEDTLS_VERSION_STRING\s+"([^"]+)"/)?.[1];
  if (version === undefined) fail(`cannot read the Mbed TLS version from ${mbedtlsVersionHeader}`);
  if (!version.startsWith('2.'))
    fail(`found Mbed TLS ${version}; tlssim's binding needs Mbed TLS 2.x (2.28 LTS)`);
  say(`Mbed TLS ${version} found`);
}

// Node's own headers when they are installed next to the node binary (distribution packages, the
// official tarballs), so node-gyp does not try to download them.
function nodeGypArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

function build() {
  const require = createRequire(path.join(root, 'package.json'));
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  say('building build/Release/tlssim_mbedtls.node with node-gyp');
  run(process.execPath, [nodeGyp, 'rebuild', '-j', 'max', ...nodeGypArgs()]);
  const version = execFileSync(
    process.execPath,
    ['-e', `console.log(require(${JSON.stringify(addon)}).version)`],
    { encoding: 'utf8' },
  ).trim();
  say(`built and loaded: ${version}`);
}

if (process.env.TLSSIM_SKIP_NATIVE === '1') {
  say('TLSSIM_SKIP_NATIVE=1: not building the Mbed TLS binding (mbedtls mode will be unavailable)');
  process.exit(0);
}
ensureSystemPackages();
checkMbedtlsVersion();
build();
