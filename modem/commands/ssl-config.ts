import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { ParamError, type Params } from '../at/params.ts';
import { ok } from '../at/response.ts';
import { formatSuiteId, parseSuiteList } from '../ssl/cipher-suites.ts';
import {
  MAX_SSL_CONTEXT_ID,
  type SecLevel,
  type SslContextConfig,
  type SslContexts,
  type SslVersion,
} from '../ssl/ssl-context.ts';
import { FileStore } from '../ufs/file-store.ts';

/** How one `AT+QSSLCFG="<key>"` reads and writes its value (the value is parameter 3). */
interface KeySpec {
  /** The `<value>` part of `+QSSLCFG: "<key>",<ctx>,<value>`. */
  show(config: SslContextConfig): string;
  set(config: SslContextConfig, params: Params): void;
  /** The range shown by AT+QSSLCFG=?. */
  readonly range: string;
}

const VALUE = 2;

function flag(read: (c: SslContextConfig) => 0 | 1, write: (c: SslContextConfig, v: 0 | 1) => void): KeySpec {
  return {
    show: (c) => String(read(c)),
    set: (c, p) => write(c, p.int(VALUE, 0, 1) as 0 | 1),
    range: '(0,1)',
  };
}

function path(field: 'caCert' | 'clientCert' | 'clientKey'): KeySpec {
  return {
    show: (c) => `"${c[field]}"`,
    set: (c, p) => {
      const value = p.string(VALUE);
      // The file need not exist yet (it is read at AT+QSSLOPEN), but the name must be a UFS name.
      if (FileStore.normalize(value) === undefined) throw new ParamError(`${value} is not a UFS file name`);
      c[field] = value;
    },
    range: '<path>',
  };
}

const KEYS: Record<string, KeySpec> = {
  sslversion: {
    show: (c) => String(c.sslVersion),
    set: (c, p) => {
      c.sslVersion = p.int(VALUE, 0, 4) as SslVersion;
    },
    range: '(0-4)',
  },
  ciphersuite: {
    show: (c) => c.cipherSuites.map(formatSuiteId).join(';'),
    set: (c, p) => {
      const ids = parseSuiteList(p.string(VALUE));
      if (!ids) throw new ParamError('unknown cipher suite');
      c.cipherSuites = ids;
    },
    range: '<ciphersuites>',
  },
  cacert: path('caCert'),
  clientcert: path('clientCert'),
  clientkey: path('clientKey'),
  seclevel: {
    show: (c) => String(c.secLevel),
    set: (c, p) => {
      c.secLevel = p.int(VALUE, 0, 2) as SecLevel;
    },
    range: '(0-2)',
  },
  ignorelocaltime: flag(
    (c) => c.ignoreLocalTime,
    (c, v) => {
      c.ignoreLocalTime = v;
    },
  ),
  negotiatetime: {
    show: (c) => String(c.negotiateTime),
    set: (c, p) => {
      c.negotiateTime = p.int(VALUE, 10, 300);
    },
    range: '(10-300)',
  },
  sni: flag(
    (c) => c.sni,
    (c, v) => {
      c.sni = v;
    },
  ),
  checkhost: {
    show: (c) =>
      c.checkHost.kind === 'name' ? `"${c.checkHost.name}"` : c.checkHost.kind === 'address' ? '1' : '0',
    set: (c, p) => {
      // Both forms: 0/1 (newer firmware) and a quoted host name (what Mbed OS's driver sends).
      const raw = p.raw(VALUE);
      if (raw === undefined) throw new ParamError('checkhost needs a value');
      if (!raw.quoted && raw.text === '0') c.checkHost = { kind: 'off' };
      else if (!raw.quoted && raw.text === '1') c.checkHost = { kind: 'address' };
      else if (/^[A-Za-z0-9.\-:_*]{1,253}$/.test(raw.text)) c.checkHost = { kind: 'name', name: raw.text };
      else throw new ParamError('bad checkhost value');
    },
    range: '(0,1)/<hostname>',
  },
  session: flag(
    (c) => c.session,
    (c, v) => {
      c.session = v;
    },
  ),
};

/** AT+QSSLCFG: per-context TLS settings, each key with its query form (`="<key>",<ctx>`). */
export function registerSslConfigCommands(table: CommandTable, contexts: SslContexts): void {
  table.register(
    '+QSSLCFG',
    {
      test: () =>
        ok(
          ...Object.entries(KEYS).map(
            ([key, spec]) => `+QSSLCFG: "${key}",(0-${MAX_SSL_CONTEXT_ID}),${spec.range}`,
          ),
        ),
      write: ({ params }) => {
        params.expectCount(2, 3);
        const key = params.string(0).toLowerCase();
        const spec = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
        if (!spec) throw new ParamError(`unknown key ${key}`);
        const id = params.int(1, 0, MAX_SSL_CONTEXT_ID);
        const config = contexts.get(id);
        if (params.count === 2) return ok(`+QSSLCFG: "${key}",${id},${spec.show(config)}`);
        spec.set(config, params);
        return ok();
      },
    },
    INVALID_PARAMS.tcpip,
  );
}
