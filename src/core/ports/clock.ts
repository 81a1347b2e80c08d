/** Time is a port so expiry and rate limits can be tested with an injected clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
