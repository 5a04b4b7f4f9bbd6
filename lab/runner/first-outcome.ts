// Several sources may end a run (the MCU's report, a process exiting, the timeout); the first one to
// settle decides, and every source is then told to stop listening, so no listener or timer outlives it.

/** Starts listening for one outcome; stops listening (and settles or not, as it likes) on `stop`. */
export type OutcomeSource<T> = (stop: AbortSignal) => Promise<T>;

export async function firstOutcome<T>(sources: readonly OutcomeSource<T>[]): Promise<T> {
  const decided = new AbortController();
  try {
    // Promise.race subscribes to every source, so a loser that rejects once stopped is not unhandled.
    return await Promise.race(sources.map((source) => source(decided.signal)));
  } finally {
    decided.abort();
  }
}
