// Collects lab server events and lets a test wait for one, instead of sleeping and hoping.
import type { LabServerEvent } from '../../../lab/servers/server-activity.ts';

export class EventLog {
  readonly events: LabServerEvent[] = [];
  private waiters: { match: (event: LabServerEvent) => boolean; resolve: (event: LabServerEvent) => void }[] =
    [];

  readonly hook = (event: LabServerEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.match(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };

  /** The first event, past or future, that matches. */
  waitFor(match: (event: LabServerEvent) => boolean): Promise<LabServerEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  /** Resolves once `check()` holds, re-checking after each event. */
  async until(check: () => boolean): Promise<void> {
    while (!check())
      await new Promise<LabServerEvent>((resolve) => this.waiters.push({ match: () => true, resolve }));
  }
}
