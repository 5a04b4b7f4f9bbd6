// A UART end is named by a URL-like spec so every command takes the same --uart option (docs/architecture.md, "UART ends").
export type UartSpec =
  | { kind: 'mock'; name: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'tcp-listen'; host: string; port: number }
  | { kind: 'device'; path: string };

export class UartSpecError extends Error {}

export function parseUartSpec(spec: string): UartSpec {
  if (spec.startsWith('mock:')) {
    const name = spec.slice(5);
    if (!name) throw new UartSpecError(`UART spec "${spec}" needs a name after mock:`);
    return { kind: 'mock', name };
  }
  const tcp = /^(tcp|tcp-listen):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(spec);
  if (tcp) {
    const port = Number(tcp[3]);
    if (port > 65535) throw new UartSpecError(`UART spec "${spec}": port ${port} is out of range`);
    const host = tcp[2].replace(/^\[|\]$/g, '');
    return { kind: tcp[1] === 'tcp' ? 'tcp' : 'tcp-listen', host, port };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new UartSpecError(
      `UART spec "${spec}" is not understood: use mock:NAME, tcp://HOST:PORT, tcp-listen://HOST:PORT or a device path`,
    );
  }
  if (!spec.startsWith('/'))
    throw new UartSpecError(`UART device "${spec}" must be an absolute path like /dev/ttyUSB0`);
  return { kind: 'device', path: spec };
}

export function formatUartSpec(spec: UartSpec): string {
  switch (spec.kind) {
    case 'mock':
      return `mock:${spec.name}`;
    case 'device':
      return spec.path;
    default: {
      const host = spec.host.includes(':') ? `[${spec.host}]` : spec.host;
      return `${spec.kind}://${host}:${spec.port}`;
    }
  }
}
