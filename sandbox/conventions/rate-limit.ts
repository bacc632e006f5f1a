// Rate limiting (spec §2.7): a quota per (OAuth application × account), counted
// in fixed windows aligned to the Unix epoch, so X-Rate-Limit-Reset is always
// the next multiple of the window length (recordings: multiples of 300).
// Default 300 requests / 300 s. Past the quota → 429 until the reset; no Retry-After.

export interface RateLimitState {
  limit: number
  remaining: number
  /** Epoch seconds when the current window ends. */
  reset: number
  exceeded: boolean
}

export class RateLimiter {
  private counters = new Map<string, { windowStart: number; count: number }>()

  constructor(
    public limit: number,
    public windowSeconds: number
  ) {}

  configure(limit: number, windowSeconds: number): void {
    this.limit = limit
    this.windowSeconds = windowSeconds
    this.counters.clear()
  }

  reset(): void {
    this.counters.clear()
  }

  private window(nowMs: number): number {
    const w = this.windowSeconds
    return Math.floor(nowMs / 1000 / w) * w
  }

  /** Counts one request for `key` and reports the quota after it. */
  hit(key: string, nowMs: number): RateLimitState {
    const windowStart = this.window(nowMs)
    let c = this.counters.get(key)
    if (!c || c.windowStart !== windowStart) this.counters.set(key, (c = { windowStart, count: 0 }))
    c.count++
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - c.count),
      reset: windowStart + this.windowSeconds,
      exceeded: c.count > this.limit,
    }
  }

  static headers(s: RateLimitState): Record<string, string> {
    return {
      "X-Rate-Limit-Limit": String(s.limit),
      "X-Rate-Limit-Remaining": String(s.remaining),
      "X-Rate-Limit-Reset": String(s.reset),
    }
  }
}
