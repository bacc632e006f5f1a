/**
 * Rate-limit pacing for one client instance (= one OAuth application × account pair,
 * which is what TradeGecko counts: 300 requests per fixed 300 s window aligned to the
 * epoch; every response carries X-Rate-Limit-Limit / -Remaining / -Reset).
 *
 * Scheduling is Bottleneck's: `maxConcurrent` bounds parallel requests and its
 * *reservoir* is the number of requests we may still start in the current window. The
 * reservoir is refreshed from the response headers:
 *
 *     reservoir = remaining(min seen in the current window) − requests in flight − reserve
 *
 * Requests in flight are subtracted because the server may not have counted them yet
 * (conservative: at worst we under-use the window by the concurrency). When the window
 * is exhausted a timer releases a single "probe" request just after X-Rate-Limit-Reset
 * (converted to local time with the server's Date header); its headers re-open the
 * reservoir for the new window. Before the first response we also only probe with one
 * request, so a client that starts mid-window with little budget left never bursts.
 *
 * Implementation note: Bottleneck's `updateSettings({reservoir})` and
 * `incrementReservoir()` apply asynchronously, so setting an *absolute* reservoir could
 * race with jobs starting in between. We therefore keep a synchronous mirror of the
 * reservoir and only ever apply *relative* increments (target − mirror), which compose
 * correctly with Bottleneck's own decrements.
 */
import Bottleneck from "bottleneck"
import type { TradegeckoLogger } from "./logger"

/** Big reservoir used when the server does not send rate-limit headers at all. */
const UNLIMITED = 1_000_000

export interface RateLimitState {
  /** "probe": limits unknown (start, or just after a window reset); "known": from headers; "unlimited": server sends no headers. */
  mode: "probe" | "known" | "unlimited"
  limit: number | undefined
  /** Lowest X-Rate-Limit-Remaining seen for the current window. */
  remaining: number | undefined
  /** X-Rate-Limit-Reset of the current window (epoch seconds, server clock). */
  resetAt: number | undefined
  inFlight: number
  queued: number
}

export interface PacerStats {
  /** Window resets that calls were queued behind (waits for X-Rate-Limit-Reset). */
  waits: number
  /** Total milliseconds spent in those holds. */
  waitedMs: number
}

export interface PacerOptions {
  concurrency: number
  /** Requests per window left unused for other processes sharing the same app × account. */
  reserve: number
  /** Added to the computed reset time before probing again. */
  resetMarginMs: number
  /** Upper bound for one hold (guards against absurd reset values / clock skew). */
  maxWaitMs: number
  /** Fallback hold when a 429 arrives without an X-Rate-Limit-Reset header. */
  fallbackWaitMs: number
  logger: TradegeckoLogger
}

type HeaderBag = Record<string, unknown> | { get(name: string): unknown } | undefined

export function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined
  let value: unknown
  const maybeGet = (headers as { get?: unknown }).get
  if (typeof maybeGet === "function") {
    value = (headers as { get(name: string): unknown }).get(name)
  } else {
    const record = headers as Record<string, unknown>
    value = record[name] ?? record[name.toLowerCase()]
    if (value === undefined) {
      const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase())
      value = key === undefined ? undefined : record[key]
    }
  }
  if (Array.isArray(value)) value = value[0]
  if (value === undefined || value === null || value === false) return undefined
  return String(value)
}

export interface RateLimitHeaders {
  limit: number
  remaining: number
  reset: number
}

/** Parses X-Rate-Limit-*; undefined unless Remaining and Reset are both present. */
export function parseRateLimitHeaders(headers: HeaderBag): RateLimitHeaders | undefined {
  const remaining = Number(headerValue(headers, "x-rate-limit-remaining"))
  const reset = Number(headerValue(headers, "x-rate-limit-reset"))
  const limitRaw = headerValue(headers, "x-rate-limit-limit")
  if (!Number.isFinite(remaining) || !Number.isFinite(reset) || headerValue(headers, "x-rate-limit-reset") === undefined) {
    return undefined
  }
  const limit = limitRaw === undefined ? NaN : Number(limitRaw)
  return { limit: Number.isFinite(limit) ? limit : remaining, remaining: Math.max(0, remaining), reset }
}

export type Observe = (headers: HeaderBag, status: number | undefined) => void

export class RatePacer {
  private readonly limiter: Bottleneck
  private mode: RateLimitState["mode"] = "probe"
  private limit: number | undefined
  private remaining = 0
  private windowReset = 0
  private inFlight = 0
  /** What we believe Bottleneck's reservoir currently is (see file comment). */
  private mirror = 1
  /** Lower bound of (server clock − local clock) in ms, from Date headers. */
  private clockOffsetMs: number | undefined
  private timer: NodeJS.Timeout | undefined
  private timerForReset = 0
  private holdStartedAt: number | undefined
  private stopped = false
  readonly stats: PacerStats = { waits: 0, waitedMs: 0 }

  constructor(private readonly opts: PacerOptions) {
    this.limiter = new Bottleneck({ maxConcurrent: opts.concurrency, reservoir: 1 })
  }

  /**
   * Runs `task` when a slot and rate budget are free. The task must call `observe` with
   * the response headers/status as soon as it has them (or not at all on a network error).
   * `priority` 0 (first) … 9 (last), default 5; re-sends use 4 so they overtake new work.
   */
  schedule<T>(task: (observe: Observe) => Promise<T>, priority = 5): Promise<T> {
    return this.limiter.schedule({ priority }, async () => {
      // Bottleneck has already taken one unit off its reservoir for this job.
      this.inFlight++
      this.mirror--
      let observed = false
      const observe: Observe = (headers, status) => {
        if (observed) return
        observed = true
        this.release(headers, status)
      }
      try {
        return await task(observe)
      } finally {
        if (!observed) {
          observed = true
          this.release(undefined, undefined)
        }
      }
    })
  }

  state(): RateLimitState {
    const counts = this.limiter.counts()
    return {
      mode: this.mode,
      limit: this.limit,
      remaining: this.mode === "known" ? this.remaining : undefined,
      resetAt: this.mode === "known" ? this.windowReset : undefined,
      inFlight: this.inFlight,
      queued: (counts.QUEUED ?? 0) + (counts.RECEIVED ?? 0),
    }
  }

  /** Stops timers and rejects queued jobs. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.limiter.stop({ dropWaitingJobs: true, dropErrorMessage: "TradeGecko client closed" })
  }

  private release(headers: HeaderBag, status: number | undefined): void {
    this.inFlight--
    this.learnClock(headers)
    const info = parseRateLimitHeaders(headers)
    if (info) {
      this.limit = info.limit
      if (this.mode !== "known" || info.reset > this.windowReset) {
        // First sight of this window (or first headers at all).
        this.mode = "known"
        this.windowReset = info.reset
        this.remaining = info.remaining
      } else if (info.reset === this.windowReset) {
        this.remaining = Math.min(this.remaining, info.remaining)
      } // else: a late response from an earlier window — ignore.
      if (status === 429 && info.reset >= this.windowReset) this.remaining = 0
    } else if (status === 429) {
      // 429 without reset information: hold for a fallback period.
      this.mode = "known"
      this.remaining = 0
      this.windowReset = Math.ceil((this.serverNowMs() + this.opts.fallbackWaitMs) / 1000)
    } else if (status !== undefined && status >= 200 && status < 300 && this.mode === "probe") {
      // A successful answer without any rate-limit headers: the server does not limit.
      this.mode = "unlimited"
    } else if (this.mode === "known") {
      // No headers (timeout, connection error, proxy error page): it may still have been counted.
      this.remaining = Math.max(0, this.remaining - 1)
    }
    this.sync()
  }

  private target(): number {
    switch (this.mode) {
      case "probe":
        return 1 - this.inFlight
      case "unlimited":
        return UNLIMITED - this.inFlight
      case "known":
        return this.remaining - this.opts.reserve - this.inFlight
    }
  }

  private sync(): void {
    if (this.stopped) return
    const delta = this.target() - this.mirror
    if (delta !== 0) {
      this.mirror += delta
      this.limiter.incrementReservoir(delta).catch((err: unknown) => {
        this.opts.logger.error(`TradeGecko pacer: reservoir update failed: ${String(err)}`)
      })
    }
    if (this.mode === "known" && this.remaining - this.opts.reserve <= 0) this.holdUntilReset()
  }

  private holdUntilReset(): void {
    if (this.timer && this.timerForReset === this.windowReset) return
    if (this.timer) clearTimeout(this.timer)
    const reset = this.windowReset
    const raw = reset * 1000 - this.serverNowMs() + this.opts.resetMarginMs
    const waitMs = Math.min(Math.max(raw, this.opts.resetMarginMs), this.opts.maxWaitMs)
    if (raw > this.opts.maxWaitMs) {
      this.opts.logger.warn(
        `TradeGecko pacer: reset is ${Math.round(raw / 1000)} s away (clock skew?); probing again after ${Math.round(waitMs / 1000)} s`
      )
    }
    this.holdStartedAt = Date.now()
    this.timerForReset = reset
    this.opts.logger.debug(
      `TradeGecko rate-limit window used up (${this.limit ?? "?"} per window); new calls wait ${Math.round(waitMs)} ms for the reset`
    )
    this.timer = setTimeout(() => {
      this.timer = undefined
      // Count the hold only if calls were actually held back by it.
      const counts = this.limiter.counts()
      if ((counts.QUEUED ?? 0) > 0 && this.holdStartedAt !== undefined) {
        this.stats.waits++
        this.stats.waitedMs += Date.now() - this.holdStartedAt
        this.opts.logger.info(`TradeGecko rate limit: held ${counts.QUEUED} queued call(s) for ${Date.now() - this.holdStartedAt} ms until the window reset`)
      }
      this.holdStartedAt = undefined
      // Only reopen if no response has meanwhile shown a newer window.
      if (this.mode === "known" && this.windowReset === reset) {
        this.mode = "probe"
        this.sync()
      }
    }, waitMs)
    this.timer.unref?.()
  }

  /** Keeps the tightest lower bound of the server-minus-local clock offset (Date has 1 s resolution). */
  private learnClock(headers: HeaderBag): void {
    const date = headerValue(headers, "date")
    if (!date) return
    const serverMs = Date.parse(date)
    if (!Number.isFinite(serverMs)) return
    const local = Date.now()
    const low = serverMs - local // server time ≥ Date header, so this is a lower bound
    const high = serverMs + 1000 - local
    if (this.clockOffsetMs === undefined || low > this.clockOffsetMs || high < this.clockOffsetMs) {
      // Tighter bound, or an inconsistent sample (a clock jumped): take the new one.
      this.clockOffsetMs = low
    }
  }

  private serverNowMs(): number {
    return Date.now() + (this.clockOffsetMs ?? 0)
  }
}
