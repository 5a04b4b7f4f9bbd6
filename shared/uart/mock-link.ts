// Two @serialport/binding-mock ports joined back to back, for both UART ends in one process.
// binding-mock only records writes, so a thin binding decorator reports each write to whoever joins the
// pair (a direct join, or the lab's wire with pacing and tap).
import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import type { BindingInterface, OpenOptions } from '@serialport/bindings-interface';

type WriteListener = (bytes: Buffer) => void;

interface MockEnd {
  binding: MockPortBinding | null;
  onWrite: WriteListener | null;
}

const ends = new Map<string, MockEnd>();

/** Creates the two mock ports `<name>/mcu` and `<name>/modem`; returns their paths. */
export function createMockPorts(name: string): { mcuPath: string; modemPath: string } {
  const mcuPath = `${name}/mcu`;
  const modemPath = `${name}/modem`;
  for (const path of [mcuPath, modemPath]) {
    // maxReadSize large so a burst is read at once, as a real driver's DMA buffer would.
    MockBinding.createPort(path, { echo: false, record: false, maxReadSize: 65536 });
    ends.set(path, { binding: null, onWrite: null });
  }
  return { mcuPath, modemPath };
}

/** Whoever joins the link hears every write made on `path` and can deliver bytes to it. */
export function listenMockWrites(path: string, listener: WriteListener): void {
  const end = ends.get(path);
  if (!end) throw new Error(`mock UART "${path}" was not created`);
  end.onWrite = listener;
}

/** Delivers bytes to the reading side of `path` (as if they arrived on its RX line). */
export function deliverToMock(path: string, bytes: Uint8Array): void {
  const binding = ends.get(path)?.binding;
  if (binding?.isOpen) binding.emitData(Buffer.from(bytes));
}

export function removeMockPorts(name: string): void {
  ends.delete(`${name}/mcu`);
  ends.delete(`${name}/modem`);
}

/** binding-mock with writes reported to the link's listener. */
export const JoinedMockBinding: BindingInterface<MockPortBinding> = {
  list: () => MockBinding.list(),
  async open(options: OpenOptions): Promise<MockPortBinding> {
    const port = await MockBinding.open(options);
    const end = ends.get(options.path);
    if (end) {
      end.binding = port;
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        end.onWrite?.(Buffer.from(buffer));
      };
    }
    return port;
  },
};
