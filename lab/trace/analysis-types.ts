// What the analyser makes of a trace: the AT events, each data phase classified, the credentials seen,
// the TLS handshakes and their timing, and the summary figures.
import type { TraceDirection, TraceFault, TraceHeader } from '../../shared/trace/trace-format.ts';
import type { AtEvent, DataEvent, DataVia } from './at-events.ts';
import type { Connection } from './connections.ts';
import type { PayloadPart } from './payload-part.ts';
import type { SecretKind } from './secret-scan.ts';

/**
 * tls: only TLS/DTLS records; plaintext: application bytes in clear; upload: a QFUPL file;
 * mixed: records and clear bytes in one phase (a stream that lost or changed framing).
 */
export type DataCategory = 'tls' | 'plaintext' | 'upload' | 'mixed';

export interface DataPhaseAnalysis {
  event: DataEvent;
  connection?: Connection;
  category: DataCategory;
  parts: PayloadPart[];
  /** For clear bytes: mostly printable text, or binary. */
  clearLooksLike?: 'text' | 'binary';
  secrets: SecretSighting[];
}

export interface SecretSighting {
  kind: SecretKind;
  /** `RSA PRIVATE KEY`, `CERTIFICATE`, or `file name` when only the name gave it away. */
  label: string;
  t: number;
  dir: TraceDirection;
  via: DataVia;
  file?: string;
  connection?: string;
}

export interface HandshakeTiming {
  connection: string;
  /** tls-records: a TLS handshake the MCU ran, seen record by record; qsslopen: the modem's own. */
  seenAs: 'tls-records' | 'dtls-records' | 'qsslopen';
  startMs: number;
  endMs: number;
  durationMs: number;
  /** False when it ended in a fatal alert or a non-zero +QSSLOPEN result. */
  ok: boolean;
}

export interface DirectionCounts {
  tx: number;
  rx: number;
  total: number;
}

export interface TraceSummary {
  label: string;
  file?: string;
  scenario?: string;
  mode?: string;
  baud: number;
  frame: string;
  started: string;
  durationMs: number;
  /** Everything that crossed: AT overhead + TLS + plaintext + uploads. */
  bytes: DirectionCounts;
  /** Command lines, responses, URCs, prompts, echo: every byte outside a data phase. */
  atOverheadBytes: DirectionCounts;
  /** TLS/DTLS records, headers included. */
  tlsBytes: DirectionCounts;
  /** The part of tlsBytes in handshake and change_cipher_spec records. */
  handshakeBytes: DirectionCounts;
  /** Socket payload that is not TLS: what an observer of the UART reads as it is. */
  plaintextBytes: DirectionCounts;
  /** QFUPL file contents (certificates and keys in offload mode). */
  uploadBytes: number;
  secrets: {
    privateKeys: number;
    certificates: number;
    seen: Array<{ kind: SecretKind; label: string; via: DataVia; file?: string; t: number }>;
  };
  recordsByType: Record<string, number>;
  handshakeMessages: Record<string, number>;
  commandsByName: Record<string, number>;
  urcsByName: Record<string, number>;
  dataPhasesByCommand: Record<string, number>;
  /** Commands answered with ERROR, +CME ERROR or SEND FAIL. */
  failedCommands: number;
  handshakes: HandshakeTiming[];
  warnings: number;
  /** Faults the wire injected, by direction and kind (e.g. "tx bit-flip": 7); empty without faults. */
  uartFaults: Record<string, number>;
}

export interface TraceAnalysis {
  header: TraceHeader;
  label: string;
  file?: string;
  events: AtEvent[];
  phases: DataPhaseAnalysis[];
  phaseOf: ReadonlyMap<DataEvent, DataPhaseAnalysis>;
  connections: Connection[];
  /** the wire's fault marks, in time order */
  faults: TraceFault[];
  warnings: string[];
  summary: TraceSummary;
}
