// The CellularInterface an MCU restart builds on the UART it already has. The modem did not restart,
// so no RDY will come: the interface polls AT at once, as QUECTEL_BG96::wake_up checks with a short
// AT before it would press the power key and wait for RDY.
import type { Duplex } from 'node:stream';
import { CellularInterface } from '../../mcu/cellular/cellular-interface.ts';

export function restartedInterface(port: Duplex): CellularInterface {
  return new CellularInterface(port, { rdyTimeoutMs: 0 });
}
