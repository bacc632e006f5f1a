/**
 * Rate-limit pacing. TradeGecko allows 300 requests per fixed 300 s window aligned to the
 * epoch, per OAuth application × account (not per process); every response carries
 * X-Rate-Limit-Limit / -Remaining / -Reset, and a request beyond the limit gets a 429.
 *
 * One budget per account, shared by every process: before each HTTP attempt the pacer
 * takes one call from the current window's count in a `RateBudgetStore` (Postgres in the
 * plugin, so a catalog run on a worker and a checkout on the server count in the same
 * place). The window is known from the headers (X-Rate-Limit-Reset names it; the server's
 * Date header converts it to local time), and the store's count is raised to what the
 * server says it counted (limit − remaining), which takes in calls the store never saw.
 *
 *  - Background calls (catalog, orders, …) may use the window up to
 *    limit − reserve − checkoutShare; beyond that they wait for the reset.
 *  - Calls of a fail-fast client (checkout: a shopper is waiting) may use the whole
 *    window, and never wait: when the window is used up (or the server answers 429) they
 *    throw TradegeckoRateLimitedError at once, and the checkout applies
 *    `checkoutWhenUnreachable`.
 *  - Before the first answer, and after a window ended, the window is unknown: one
 *    "probe" request per process learns it (fail-fast calls do not wait for the probe).
 *  - `concurrency` bounds parallel requests per client (priority 4 = re-sends overtake 5).
 *
 * No third-party scheduler: the pacer is this file (it replaced Bottleneck).
 */
import { MemoryRateBudgetStore, type RateBudgetStore } from "./budget"
import { TradegeckoRateLimitedError } from "./errors"
import type { TradegeckoLogger } from "./logger"

export interface RateLimitState {
  /** "probe": window unknown (start, or just after a reset); "known": from headers; "unlimited": server sends no headers. */
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
  /** Window resets that calls were held behind (waits for X-Rate-Limit-Reset). */
  waits: number
  /** Total milliseconds spent in those holds. */
  waitedMs: number
  /** Calls a fail-fast client refused at once because the window was used up. */
  refusedFast: number
}

export interface PacerOptions {
  concurrency: number
  /** Requests per window left unused by this client (for other apps on the same account). */
  reserve: number
  /** Requests per window background calls leave for fail-fast (checkout) calls. */
  checkoutShare: number
  /** Never wait for the window: throw TradegeckoRateLimitedError when it is used up. */
  failFast: boolean
  /** Shared count of calls per window (default: in memory, this client only). */
  budget?: RateBudgetStore
  /** Identifies the account in the budget store. */
  budgetKey: string
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
  if (
    !Number.isFinite(remaining) ||
    !Number.isFinite(reset) ||
    headerValue(headers, "x-rate-limit-reset") === undefined
  ) {
    return undefined
  }
  const limit = limitRaw === undefined ? NaN : Number(limitRaw)
  return { limit: Number.isFinite(limit) ? limit : remaining, remaining: Math.max(0, remaining), reset }
}

export type Observe = (headers: HeaderBag, status: number | undefined) => void

/** Concurrency slots, lowest priority number first, FIFO within a priority. */
class Slots {
  private active = 0
  private seq = 0
  private readonly waiting: Array<{ priority: number; seq: number; resolve: () => void }> = []
  constructor(private readonly max: number) {}

  acquire(priority: number): Promise<void> {
    if (this.active < this.max) {
      this.active++
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const entry = { priority, seq: this.seq++, resolve }
      const at = this.waiting.findIndex((w) => w.priority > priority)
      if (at === -1) this.waiting.push(entry)
      else this.waiting.splice(at, 0, entry)
    })
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next.resolve()
    else this.active--
  }

  get queued(): number {
    return this.waiting.length
  }
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms)
    t.unref?.()
  })

export class RatePacer {
  private readonly slots: Slots
  private readonly budget: RateBudgetStore
  private mode: RateLimitState["mode"] = "probe"
  private limit: number | undefined
  private remaining: number | undefined
  private windowReset = 0
  private inFlight = 0
  /** The probe in flight (window unknown): other background calls wait for its answer. */
  private probe: Promise<void> | undefined
  private endProbe: (() => void) | undefined
  /** After a 429 without headers: no call before this local time. */
  private blockedUntil = 0
  private waitCountedFor: number | undefined
  private budgetErrorLogged = false
  /** Lower bound of (server clock − local clock) in ms, from Date headers. */
  private clockOffsetMs: number | undefined
  private stopped = false
  readonly stats: PacerStats = { waits: 0, waitedMs: 0, refusedFast: 0 }

  constructor(private readonly opts: PacerOptions) {
    this.slots = new Slots(opts.concurrency)
    this.budget = opts.budget ?? new MemoryRateBudgetStore()
  }

  get failFast(): boolean {
    return this.opts.failFast
  }

  /**
   * Runs `task` when a slot and rate budget are free. The task must call `observe` with
   * the response headers/status as soon as it has them (or not at all on a network error).
   * `priority` 0 (first) … 9 (last), default 5; re-sends use 4 so they overtake new work.
   * A fail-fast pacer throws TradegeckoRateLimitedError instead of waiting for the window.
   */
  async schedule<T>(task: (observe: Observe) => Promise<T>, priority = 5, label = "call"): Promise<T> {
    if (this.stopped) throw new Error("TradeGecko client closed")
    await this.slots.acquire(priority)
    try {
      const isProbe = await this.admit(label)
      this.inFlight++
      let observed = false
      const observe: Observe = (headers, status) => {
        if (observed) return
        observed = true
        this.release(headers, status, isProbe)
      }
      try {
        return await task(observe)
      } finally {
        if (!observed) {
          observed = true
          this.release(undefined, undefined, isProbe)
        }
      }
    } finally {
      this.slots.release()
    }
  }

  state(): RateLimitState {
    return {
      mode: this.mode,
      limit: this.limit,
      remaining: this.mode === "known" ? this.remaining : undefined,
      resetAt: this.mode === "known" ? this.windowReset : undefined,
      inFlight: this.inFlight,
      queued: this.slots.queued,
    }
  }

  /**
   * New calls are refused ("TradeGecko client closed"); calls already queued or in
   * flight finish normally (a replaced client must not break work in progress).
   */
  async stop(): Promise<void> {
    this.stopped = true
  }

  /** Waits until this call may be sent; resolves true when it is the window probe. */
  private async admit(label: string): Promise<boolean> {
    for (;;) {
      if (this.mode === "unlimited") return false
      const blockedFor = this.blockedUntil - Date.now()
      if (blockedFor > 0) {
        if (this.opts.failFast) throw this.refuse(label, new Date(this.blockedUntil))
        await this.hold(this.blockedUntil, blockedFor)
        continue
      }
      if (this.mode === "known") {
        const untilReset = this.windowReset * 1000 - this.serverNowMs()
        if (untilReset <= 0) this.mode = "probe"
        else if (untilReset < 1000 && !this.opts.failFast) {
          // Our server clock is a lower bound (the Date header has 1 s resolution): the
          // server may already be in the next window, where a call counted in this one
          // would not be accounted for. Background calls let the second pass.
          await this.hold(this.windowReset, untilReset + 50)
          continue
        }
      }
      if (this.mode === "probe" && (await this.adoptSharedWindow())) continue
      if (this.mode === "probe") {
        if (!this.probe) {
          this.probe = new Promise<void>((resolve) => {
            this.endProbe = resolve
          })
          return true
        }
        if (this.opts.failFast) return false // a shopper does not wait for another call's answer
        await this.probe
        continue
      }
      const reset = this.windowReset
      const limit = this.limit ?? 0
      const cap =
        limit - this.opts.reserve - (this.opts.failFast ? 0 : Math.min(this.opts.checkoutShare, Math.floor(limit / 2)))
      if (cap > 0 && (await this.take(reset, cap))) return false
      if (this.mode !== "known" || this.windowReset !== reset) continue // a newer window was seen meanwhile
      // This window's budget is used up.
      const resetLocal = reset * 1000 - (this.clockOffsetMs ?? 0)
      if (this.opts.failFast) throw this.refuse(label, new Date(resetLocal))
      const waitMs = Math.min(
        Math.max(resetLocal - Date.now() + this.opts.resetMarginMs, this.opts.resetMarginMs),
        this.opts.maxWaitMs
      )
      await this.hold(reset, waitMs)
      // Only reopen if no response has meanwhile shown a newer window.
      if (this.mode === "known" && this.windowReset === reset) this.mode = "probe"
    }
  }

  /**
   * Window unknown here: another process may know it. Every process records the newest
   * window it saw (`<key>:current` = its X-Rate-Limit-Reset, `<key>:limit:<reset>`), so a
   * process starting mid-window counts its first call in the shared budget instead of
   * probing blindly (a blind probe into a used-up window is a 429).
   */
  private async adoptSharedWindow(): Promise<boolean> {
    try {
      const reset = await this.budget.read(`${this.opts.budgetKey}:current`)
      if (!reset || reset * 1000 <= this.serverNowMs()) return false
      const limit = await this.budget.read(`${this.opts.budgetKey}:limit:${reset}`)
      if (!limit || this.mode !== "probe") return false
      this.mode = "known"
      this.windowReset = reset
      this.limit = limit
      this.remaining = undefined
      return true
    } catch {
      return false
    }
  }

  private async take(reset: number, cap: number): Promise<boolean> {
    try {
      return await this.budget.take(this.key(reset), cap, this.expiry(reset))
    } catch (err) {
      // The shared store is unavailable: pace on the server's answers alone.
      if (!this.budgetErrorLogged) {
        this.budgetErrorLogged = true
        this.opts.logger.error(
          `TradeGecko rate budget: shared store failed (${String(err)}); pacing on the server's headers only`
        )
      }
      return this.remaining === undefined || this.remaining - this.inFlight > this.opts.reserve
    }
  }

  private refuse(label: string, resetAt: Date): TradegeckoRateLimitedError {
    this.stats.refusedFast++
    const [method = "GET", path = label] = label.split(" ")
    return new TradegeckoRateLimitedError(
      `TradeGecko rate limit: this window's calls are used up (${this.limit ?? "?"} per window), so ${label} was not sent ` +
        `(it does not wait; the window resets at ${resetAt.toISOString()})`,
      { method, path, attempts: 0, resetAt }
    )
  }

  private async hold(windowId: number, waitMs: number): Promise<void> {
    const first = this.waitCountedFor !== windowId
    if (first) {
      this.waitCountedFor = windowId
      this.stats.waits++
      this.opts.logger.info(
        `TradeGecko rate limit: window used up (${this.limit ?? "?"} per window); background calls wait ${Math.round(waitMs)} ms for the reset`
      )
    }
    const started = Date.now()
    await sleep(waitMs)
    if (first) this.stats.waitedMs += Date.now() - started
  }

  private release(headers: HeaderBag, status: number | undefined, isProbe: boolean): void {
    this.inFlight--
    this.learnClock(headers)
    const info = parseRateLimitHeaders(headers)
    let raised: Promise<void> | undefined
    if (info) {
      // The server names its current window: a newer one, or a different one still to
      // come (the account's window changed); an older one that has passed is a late answer.
      const current =
        this.mode !== "known" ||
        info.reset > this.windowReset ||
        (info.reset !== this.windowReset && info.reset * 1000 > this.serverNowMs())
      if (current) {
        // First sight of this window (or first headers at all).
        this.mode = "known"
        this.windowReset = info.reset
        this.remaining = info.remaining
      } else if (info.reset === this.windowReset) {
        this.remaining = Math.min(this.remaining ?? info.remaining, info.remaining)
      } // else: a late response from an earlier window.
      if (info.reset === this.windowReset) this.limit = info.limit
      const used = status === 429 ? Math.max(info.limit, 1) : info.limit - info.remaining
      if (status === 429 && info.reset === this.windowReset) this.remaining = 0
      const expiry = this.expiry(info.reset)
      raised = Promise.all([
        this.budget.raise(this.key(info.reset), used, expiry),
        // the window for processes that do not know it yet (once per window and process)
        ...(current
          ? [
              this.budget.raise(`${this.opts.budgetKey}:current`, info.reset, expiry),
              this.budget.raise(`${this.opts.budgetKey}:limit:${info.reset}`, info.limit, expiry),
            ]
          : []),
      ])
        .then(() => undefined)
        .catch((err: unknown) => {
          this.opts.logger.warn(`TradeGecko rate budget: could not record the server's count (${String(err)})`)
        })
    } else if (status === 429) {
      // 429 without reset information: hold for a fallback period.
      this.blockedUntil = Date.now() + this.opts.fallbackWaitMs
    } else if (status !== undefined && status >= 200 && status < 300 && this.mode === "probe" && isProbe) {
      // A successful answer without any rate-limit headers: the server does not limit.
      this.mode = "unlimited"
    }
    if (isProbe) {
      const end = this.endProbe
      this.probe = undefined
      this.endProbe = undefined
      // Callers waiting for the probe take from the store only once it holds the server's count.
      if (raised) void raised.then(() => end?.())
      else end?.()
    }
  }

  private key(reset: number): string {
    return `${this.opts.budgetKey}:${reset}`
  }

  private expiry(reset: number): Date {
    return new Date(reset * 1000 - (this.clockOffsetMs ?? 0) + 60_000)
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
