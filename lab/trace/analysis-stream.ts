// The analyser, streaming: frames the AT conversation, follows each connection's byte streams through
// their data phases, classifies every phase (TLS records, plaintext, uploads), finds credentials, times
// the handshakes and sums it all up, handing out the events (with the wire's fault marks among them) in
// time order as soon as each is final. What it holds is what is still undecided (docs/architecture.md,
// "The trace analyser"), so a trace of any size is analysed in about the same memory; `summary` and
// `warnings` are known once `items()` has ended.
import type { TraceFault, TraceHeader } from '../../shared/trace/trace-format.ts';
import type { DataPhaseAnalysis, TraceSummary } from './analysis-types.ts';
import type { AtEvent } from './at-events.ts';
import { AtFramer } from './at-framer.ts';
import { type Connection, ConnectionTable } from './connections.ts';
import { HandshakeTimings } from './handshake-timing.ts';
import { PhaseClassifier } from './phase-classifier.ts';
import { PhaseSecrets } from './phase-secrets.ts';
import { TraceFeed, type TraceRecords } from './trace-feed.ts';
import { SummaryTally } from './trace-summary.ts';

export interface AnalyzeOptions {
  /** Shown in transcripts and reports; default `<scenario> (<mode>)` from the trace header. */
  label?: string;
  /** Where the trace came from, carried into the summary and reports. */
  file?: string;
}

/** An event with its data phase's analysis, or a fault mark the wire wrote, in time order. */
export type AnalysedItem =
  | { kind: 'event'; event: AtEvent; phase?: DataPhaseAnalysis }
  | { kind: 'fault'; fault: TraceFault };

/** Waiting to be handed out: an event, or the note that a connection's events have all been queued. */
type Held = { event: AtEvent; phase?: DataPhaseAnalysis } | { closed: Connection };

export class AnalysisStream {
  readonly header: TraceHeader;
  readonly label: string;
  readonly file?: string;
  private readonly feed: TraceFeed;
  private readonly connectionsSeen: Connection[] | undefined;
  private result?: { summary: TraceSummary; warnings: string[] };

  constructor(
    records: TraceRecords,
    options: AnalyzeOptions = {},
    /** Keep every connection made (for `connections`): the in-memory analysis wants them. */
    keepConnections = false,
  ) {
    this.feed = new TraceFeed(records);
    this.header = records.header;
    this.label =
      options.label ??
      `${this.header.scenario ?? 'trace'}${this.header.mode ? ` (${this.header.mode})` : ''}`;
    this.file = options.file;
    this.connectionsSeen = keepConnections ? [] : undefined;
  }

  /** Every connection made, in order (only when asked for at construction). */
  get connections(): Connection[] {
    return this.connectionsSeen ?? [];
  }

  get summary(): TraceSummary {
    return this.finished().summary;
  }

  /** Framing problems, then the trace's own state, then streams that lost their TLS framing. */
  get warnings(): string[] {
    return this.finished().warnings;
  }

  private finished(): { summary: TraceSummary; warnings: string[] } {
    if (!this.result) throw new Error('the trace has not been read to its end yet');
    return this.result;
  }

  *items(): Generator<AnalysedItem> {
    const { feed } = this;
    const framer = new AtFramer(feed);
    const classifier = new PhaseClassifier();
    const secrets = new PhaseSecrets();
    const timings = new HandshakeTimings();
    const tally = new SummaryTally();
    const held: Held[] = [];
    let head = 0;
    const connections = new ConnectionTable((opened, replaced) => {
      this.connectionsSeen?.push(opened);
      timings.opened(opened);
      if (!replaced) return;
      classifier.retire(replaced);
      secrets.retire(replaced);
      held.push({ closed: replaced });
    });
    const settled = (item: Held) =>
      !('event' in item) || !item.phase || (classifier.settled(item.phase) && secrets.settled(item.phase));

    // Hands out, in order, what nothing to come can change any more.
    function* release(): Generator<AnalysedItem> {
      while (head < held.length && settled(held[head])) {
        const item = held[head++];
        if (!('event' in item)) {
          timings.closed(item.closed);
          continue;
        }
        for (const fault of feed.faultsUpTo(item.event.t)) {
          tally.addFault(fault);
          yield { kind: 'fault', fault };
        }
        timings.onEvent(item.event);
        if (item.phase) timings.onPhase(item.phase);
        tally.addEvent(item.event, item.phase);
        yield { kind: 'event', event: item.event, phase: item.phase };
      }
      if (head > 1024 && head * 2 > held.length) {
        held.splice(0, head);
        head = 0;
      }
    }

    for (const event of framer.events()) {
      if (event.kind === 'command') connections.onCommand(event);
      let phase: DataPhaseAnalysis | undefined;
      if (event.kind === 'data') {
        phase = classifier.classify(event, connections.forData(event));
        secrets.add(phase);
      }
      held.push({ event, phase });
      yield* release();
    }
    // The trace has ended: no stream gets more bytes.
    for (const connection of connections.live()) classifier.retire(connection);
    secrets.retireAll();
    yield* release();
    for (const fault of feed.remainingFaults()) {
      tally.addFault(fault);
      yield { kind: 'fault', fault };
    }
    const warnings = [...framer.warnings];
    if (feed.truncated)
      warnings.push('the trace ends in a line cut short (the run was killed mid-write); read up to it');
    warnings.push(...classifier.lostFramingWarnings());
    const summary = tally.summary({
      header: this.header,
      label: this.label,
      file: this.file,
      bytes: framer.bytes,
      chunks: { count: feed.chunkCount, first: feed.firstChunkT, last: feed.lastChunkT },
      handshakes: timings.all(),
      warnings: warnings.length,
    });
    this.result = { summary, warnings };
  }
}
