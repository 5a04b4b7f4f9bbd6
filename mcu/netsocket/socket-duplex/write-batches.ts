// Writes Node hands over together (_writev, e.g. MQTT.js corks a packet's header, topic and payload:
// mqtt-packet writeToStream.js) become as few socket sends as possible, because every send costs an AT
// exchange (AT+QISEND / AT+QSSLSEND) and, in mbedtls mode, a TLS record of its own. Merging copies, so
// only runs of chunks up to `limit` bytes are merged; a bigger chunk goes out as it is (a view, no copy),
// which keeps what the adapter holds of its own bounded whatever the writer hands it.

export interface WriteBatch {
  bytes: Buffer;
  /** true when the adapter copied chunks into it (false: the writer's own buffer) */
  merged: boolean;
}

/** The chunks, with runs of small neighbours merged into buffers of at most `limit` bytes. */
export function writeBatches(chunks: readonly Buffer[], limit: number): WriteBatch[] {
  const batches: WriteBatch[] = [];
  let run: Buffer[] = [];
  let runBytes = 0;
  const flush = () => {
    if (run.length === 1) batches.push({ bytes: run[0], merged: false });
    else if (run.length > 1) batches.push({ bytes: Buffer.concat(run, runBytes), merged: true });
    run = [];
    runBytes = 0;
  };
  for (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (chunk.length > limit) {
      flush();
      batches.push({ bytes: chunk, merged: false });
      continue;
    }
    if (runBytes + chunk.length > limit) flush();
    run.push(chunk);
    runBytes += chunk.length;
  }
  flush();
  return batches;
}
