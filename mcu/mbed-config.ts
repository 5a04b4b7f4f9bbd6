// The Mbed OS configuration system, reduced to what tlssim reads: keys such as
// `nsapi.offload-tlssocket` and `tls-socket.debug-level`, from an mbed_app.json ("target_overrides" →
// "*") or set by the runner (--mode overrides the offload key).
import { readFileSync } from 'node:fs';

export type ConfigValue = string | number | boolean | null;

const values = new Map<string, ConfigValue>();

export function setConfig(key: string, value: ConfigValue): void {
  values.set(key, value);
}

export function getConfig(key: string): ConfigValue | undefined {
  return values.get(key);
}

export function resetConfig(): void {
  values.clear();
}

/** Loads "config" defaults and "target_overrides"."*" of an mbed_app.json; returns the keys set. */
export function loadMbedAppJson(path: string): string[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    config?: Record<string, { value?: ConfigValue } | ConfigValue>;
    target_overrides?: Record<string, Record<string, ConfigValue>>;
  };
  const keys: string[] = [];
  for (const [key, entry] of Object.entries(json.config ?? {})) {
    const value = entry !== null && typeof entry === 'object' ? (entry.value ?? null) : entry;
    setConfig(key.includes('.') ? key : `app.${key}`, value);
    keys.push(key);
  }
  for (const [key, value] of Object.entries(json.target_overrides?.['*'] ?? {})) {
    setConfig(key, value);
    keys.push(key);
  }
  return keys;
}

/** MBED_CONF_TLS_SOCKET_DEBUG_LEVEL: undefined means 0 (Mbed TLS debug off). */
export function tlsSocketDebugLevel(): number {
  const value = getConfig('tls-socket.debug-level');
  return typeof value === 'number' ? value : Number(value ?? 0) || 0;
}

/** MBED_CONF_NSAPI_OFFLOAD_TLSSOCKET: only `true` selects the offloaded TLSSocket. */
export function offloadTlsSocket(): boolean {
  return getConfig('nsapi.offload-tlssocket') === true;
}
