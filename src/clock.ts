// One clock for the whole service, so tests move time instead of sleeping.
// Durable Objects never read it themselves: callers pass `now` in, which keeps
// the objects deterministic and the tests honest.
let offsetMs = 0;

export const clock = {
  now(): number {
    return Date.now() + offsetMs;
  },
  /** Test hook: move time forward (or back) by `ms`. */
  advance(ms: number): void {
    offsetMs += ms;
  },
  reset(): void {
    offsetMs = 0;
  },
};

export const nowSeconds = () => Math.floor(clock.now() / 1000);
