// The runner's part of the network-event control channel: requests from the MCU process go to the
// modem process, answers come back. Both children are spawned with an IPC channel
// (lab/runner/run-lifecycle.ts); the modem never sees the harness, only these messages.
import type { ChildProcess } from 'node:child_process';
import { log } from '../../shared/log.ts';
import {
  isNetworkEventReply,
  isNetworkEventRequest,
  type NetworkEventReply,
} from './network-event-messages.ts';

const runnerLog = log.child('runner');

/** Starts relaying; the returned function stops it (the run's release). */
export function relayNetworkEvents(mcu: ChildProcess, modem: ChildProcess): () => void {
  const fromMcu = (message: unknown) => {
    if (!isNetworkEventRequest(message)) return;
    runnerLog.debug(`network event: ${message.spec.event}`);
    if (!modem.connected) {
      answer(mcu, { type: 'network-event-done', id: message.id, error: 'the modem process is gone' });
      return;
    }
    modem.send(message);
  };
  const fromModem = (message: unknown) => {
    if (isNetworkEventReply(message)) answer(mcu, message);
  };
  mcu.on('message', fromMcu);
  modem.on('message', fromModem);
  return () => {
    mcu.off('message', fromMcu);
    modem.off('message', fromModem);
  };
}

function answer(mcu: ChildProcess, reply: NetworkEventReply): void {
  if (mcu.connected) mcu.send(reply);
}
