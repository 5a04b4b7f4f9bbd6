// Puts the framer's events in order of their first byte's time without waiting for the end of the
// trace. The framer finds events almost in that order (both directions are read in time order, but a
// line or a data phase is read whole, and a command waits for its result), so a short queue sorts
// them: an event leaves once it is finished and no event still to be found can be earlier.
// Events of the same instant keep the order they were found in, as a stable sort would.

export class TimeOrder<E extends { t: number }> {
  private queue: E[] = [];
  private head = 0;

  add(event: E): void {
    const queue = this.queue;
    let at = queue.length;
    while (at > this.head && queue[at - 1].t > event.t) at--;
    if (at === queue.length) queue.push(event);
    else queue.splice(at, 0, event);
  }

  /**
   * The events that can go, front first: each finished (`open` says which are not) and at or before
   * `until`, the earliest time an event still to be found can have. An event found later at the same
   * time goes after these, so ties may leave too.
   */
  *release(until: number, open: (event: E) => boolean): Generator<E> {
    const queue = this.queue;
    while (this.head < queue.length) {
      const event = queue[this.head];
      if (event.t > until || open(event)) break;
      this.head++;
      yield event;
    }
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
  }
}
