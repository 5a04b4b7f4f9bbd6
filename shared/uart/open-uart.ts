// Opens one UART end, chosen by spec, as a SerialPort stream (the same object a firmware port of
// serialport would use), so the AT layers above never know which transport carries the bytes.
import type { BindingInterface } from '@serialport/bindings-interface';
import { SerialPortStream } from '@serialport/stream';
import { JoinedMockBinding } from './mock-link.ts';
import { TcpBinding } from './tcp-binding.ts';
import { parseUartSpec } from './uart-spec.ts';

export const DEFAULT_BAUD_RATE = 115200;

async function nativeBinding(): Promise<BindingInterface> {
  // Loaded lazily: only a real device or pty needs the native addon.
  const { autoDetect } = await import('@serialport/bindings-cpp');
  return autoDetect() as BindingInterface;
}

export async function openUart(spec: string, baudRate = DEFAULT_BAUD_RATE): Promise<SerialPortStream> {
  const parsed = parseUartSpec(spec);
  let binding: BindingInterface;
  let path: string;
  switch (parsed.kind) {
    case 'mock':
      binding = JoinedMockBinding as BindingInterface;
      path = parsed.name;
      break;
    case 'device':
      binding = await nativeBinding();
      path = parsed.path;
      break;
    default:
      binding = TcpBinding as BindingInterface;
      path = spec;
  }
  const stream = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => stream.open((err) => (err ? reject(err) : resolve())));
  // A closed or failed line must never crash the process; whoever reads it sees 'close'.
  stream.on('error', () => {});
  return stream;
}

export async function closeUart(stream: SerialPortStream): Promise<void> {
  if (!stream.isOpen) return;
  await new Promise<void>((resolve) => stream.close(() => resolve()));
}
