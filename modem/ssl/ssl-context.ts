/**
 * One SSL context (0–5) as AT+QSSLCFG configures it. Certificates are UFS paths, read at open time.
 */
export const MAX_SSL_CONTEXT_ID = 5;

/** `"sslversion"`: 0 SSL3.0, 1 TLS1.0, 2 TLS1.1, 3 TLS1.2, 4 all. */
export type SslVersion = 0 | 1 | 2 | 3 | 4;
/** `"seclevel"`: 0 no authentication, 1 verify the server, 2 also present a client certificate. */
export type SecLevel = 0 | 1 | 2;
/** `"checkhost"`: off, on (against QSSLOPEN's server address), or a name to match (Mbed OS's form). */
export type CheckHost =
  | { readonly kind: 'off' }
  | { readonly kind: 'address' }
  | { readonly kind: 'name'; readonly name: string };

export interface SslContextConfig {
  sslVersion: SslVersion;
  /** Suite ids, or [0xFFFF] for all. */
  cipherSuites: number[];
  caCert: string;
  clientCert: string;
  clientKey: string;
  secLevel: SecLevel;
  /** 1 = do not check certificate validity dates (a module without a clock). */
  ignoreLocalTime: 0 | 1;
  /** Seconds the whole open (TCP connect and handshake) may take: 10–300. */
  negotiateTime: number;
  /** 1 = send SNI (the checkhost name, or the server address when it is a name). */
  sni: 0 | 1;
  checkHost: CheckHost;
  /** 1 = resume the previous session with the same server. */
  session: 0 | 1;
}

export interface SslDefaults {
  /** tlssim default 0: the host has a real clock (see docs/deviations.md); Quectel's default is 1. */
  readonly ignoreLocalTime: 0 | 1;
}

export function defaultSslContext(defaults: SslDefaults): SslContextConfig {
  return {
    sslVersion: 4,
    cipherSuites: [0xffff],
    caCert: '',
    clientCert: '',
    clientKey: '',
    secLevel: 0,
    ignoreLocalTime: defaults.ignoreLocalTime,
    negotiateTime: 300,
    sni: 0,
    checkHost: { kind: 'off' },
    session: 0,
  };
}

/** The contexts 0–5, created on first use with the defaults. */
export class SslContexts {
  private readonly contexts = new Map<number, SslContextConfig>();
  private readonly resetListeners: Array<() => void> = [];

  constructor(private readonly defaults: SslDefaults) {}

  get(id: number): SslContextConfig {
    let config = this.contexts.get(id);
    if (!config) {
      config = defaultSslContext(this.defaults);
      this.contexts.set(id, config);
    }
    return config;
  }

  /** AT+CFUN=1,1: configuration is volatile on a BG96 (files in UFS are not). */
  reset(): void {
    this.contexts.clear();
    for (const listener of this.resetListeners) listener();
  }

  /** Runs on every reset: what lives beside the configuration (saved sessions) goes with it. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }
}
