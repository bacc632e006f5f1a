// Webhook delivery (spec §5.3–5.4).
//
// Each event raised while handling a request is POSTed to every subscription
// for that event as a thin notification:
//   {"object_id":123,"event":"fulfillment.create","timestamp":1546272000,
//    "resource_url":"<sandbox base URL>/fulfillments/123.json"}
// with Content-Type: application/json, X-Gecko-Delivery (one id per
// event × subscription, reused by its retries) and
// X-Gecko-Signature = base64(HMAC-SHA256(application secret, raw body)).
//
// 200–399 = delivered; 410 = subscription deleted; anything else (or no answer
// within the timeout, 10 s by default) is retried on Sidekiq's default backoff
// (spec §5.4): retry n (0-based) waits n⁴ + 15 + rand(10)·(n + 1) seconds, up to
// 25 retries. A subscription whose deliveries keep failing for 3 days is deleted
// at the first failed attempt after that (the 19th attempt on this schedule).
// webhookTimeScale compresses the schedule in real time (0.0001 = 3 days in
// ~26 s); the times recorded for each attempt stay on the uncompressed
// ("virtual") schedule, so tests can check the real gaps. An explicit
// webhookRetryDelaysMs replaces the schedule with fixed delays (old behaviour).
// With webhookDuplicateRate > 0 a delivered notification is sometimes delivered
// again later with the same X-Gecko-Delivery (at-least-once, as Sidekiq is).
import { createHmac, randomUUID } from "node:crypto"
import http from "node:http"
import https from "node:https"
import { prng, type Prng } from "./prng"
import type { SandboxEvent, Store } from "./store"

export const FAILURE_WINDOW_MS = 3 * 24 * 60 * 60 * 1000
/** Sidekiq's default retry count. */
export const SIDEKIQ_MAX_RETRIES = 25

/** Sidekiq's default delay before retry `count` (0-based), in seconds; `rand10` ∈ 0..9. */
export function sidekiqDelaySeconds(count: number, rand10: number): number {
  return count ** 4 + 15 + rand10 * (count + 1)
}

export interface DeliveryAttempt {
  /** X-Gecko-Delivery: same for every attempt of one delivery. */
  id: string
  attempt: number
  webhookId: number
  event: string
  objectId: number | string
  address: string
  /** HTTP status from the receiver, null when it did not answer. */
  status: number | null
  error: string | null
  /** delivered | retrying | failed (retries exhausted) | gone (410, subscription deleted) | deleted (3-day rule) */
  outcome: "delivered" | "retrying" | "failed" | "gone" | "deleted" | "pending"
  signature: string
  body: string
  /** When the attempt happened on the uncompressed schedule (ISO). */
  at: string
  durationMs: number | null
  /** Seconds (uncompressed) until the next attempt when outcome is retrying. */
  retryInSeconds: number | null
  /** true for a late duplicate of an already delivered notification. */
  duplicate: boolean
}

export interface WebhookConfig {
  secret: () => string
  /** Fixed delays instead of the Sidekiq schedule (undefined = Sidekiq). */
  retryDelaysMs: () => number[] | undefined
  /** Real ms per schedule ms (1 = real time). */
  timeScale: () => number
  duplicateRate: () => number
  timeoutMs: () => number
  baseUrl: () => string
}

interface Delivery {
  id: string
  webhookId: number
  event: string
  objectId: number | string
  address: string
  body: string
  signature: string
}

/** A scheduled attempt (persisted in the state file). */
export interface PendingAttempt {
  delivery: Delivery
  attempt: number
  /** Wall-clock ms when it is due. */
  dueAt: number
  /** Its time on the uncompressed schedule (sandbox clock ms). */
  virtualAt: number
  duplicate: boolean
}

export function signature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64")
}

export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = []
  private timers = new Map<NodeJS.Timeout, PendingAttempt>()
  private requests = new Set<http.ClientRequest>()
  private closed = false
  private rand: Prng = prng(1)
  /** Called when the set of scheduled attempts changes (state file). */
  onChange: () => void = () => {}

  constructor(
    private readonly store: Store,
    private readonly config: WebhookConfig
  ) {}

  /** Deliveries scheduled or in flight. */
  get pending(): number {
    return this.timers.size + this.requests.size
  }

  /** Scheduled attempts (state file). */
  dump(): PendingAttempt[] {
    return [...this.timers.values()]
  }

  /** Re-schedules attempts saved by dump() (overdue ones run at once). */
  load(pending: PendingAttempt[]): void {
    for (const p of pending) this.scheduleAt(p)
  }

  dispatch(events: SandboxEvent[]): void {
    if (this.closed) return
    for (const e of events) {
      const hooks = this.store.where("webhooks", "event", e.event)
      if (!hooks.length) continue
      const body = JSON.stringify({
        object_id: e.objectId,
        event: e.event,
        timestamp: Math.floor(e.at / 1000),
        resource_url: `${this.config.baseUrl()}/${e.resource}/${e.objectId}.json`,
      })
      for (const hook of hooks) {
        const delivery: Delivery = {
          id: randomUUID(),
          webhookId: Number(hook.id),
          event: e.event,
          objectId: e.objectId,
          address: hook.address,
          body,
          signature: signature(this.config.secret(), body),
        }
        this.scheduleAt({ delivery, attempt: 1, dueAt: Date.now(), virtualAt: e.at, duplicate: false })
      }
    }
  }

  private scheduleAt(p: PendingAttempt): void {
    if (this.closed) return
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        this.onChange()
        this.attempt(p.delivery, p.attempt, Math.max(p.virtualAt, this.store.now()), p.duplicate)
      },
      Math.max(0, p.dueAt - Date.now())
    )
    this.timers.set(timer, p)
    this.onChange()
  }

  private attempt(d: Delivery, attempt: number, virtualAt: number, duplicate: boolean): void {
    if (this.closed) return
    const hook = this.store.get("webhooks", d.webhookId)
    if (!hook) return // subscription deleted meanwhile
    const record: DeliveryAttempt = {
      id: d.id,
      attempt,
      webhookId: d.webhookId,
      event: d.event,
      objectId: d.objectId,
      address: hook.address,
      status: null,
      error: null,
      outcome: "pending",
      signature: d.signature,
      body: d.body,
      at: new Date(virtualAt).toISOString(),
      durationMs: null,
      retryInSeconds: null,
      duplicate,
    }
    this.attempts.push(record)
    const started = Date.now()
    const done = (status: number | null, error: string | null) => {
      record.status = status
      record.error = error
      record.durationMs = Date.now() - started
      this.settle(d, record, hook.id, virtualAt)
    }
    let url: URL
    try {
      url = new URL(hook.address)
    } catch {
      return done(null, "invalid address")
    }
    const req = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent: false,
      timeout: this.config.timeoutMs(),
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(d.body),
        "User-Agent": "TradeGecko-Webhooks/sandbox",
        "X-Gecko-Delivery": d.id,
        "X-Gecko-Signature": d.signature,
      },
    })
    this.requests.add(req)
    let finished = false
    const finish = (status: number | null, error: string | null) => {
      if (finished) return
      finished = true
      this.requests.delete(req)
      if (!this.closed) done(status, error)
    }
    req.on("response", (res) => {
      res.resume()
      res.on("end", () => finish(res.statusCode ?? null, null))
      res.on("error", () => finish(res.statusCode ?? null, null))
    })
    req.on("timeout", () => req.destroy(new Error(`no response within ${this.config.timeoutMs()} ms`)))
    req.on("error", (err) => finish(null, err.message))
    req.end(d.body)
  }

  private settle(d: Delivery, record: DeliveryAttempt, hookId: unknown, virtualAt: number): void {
    const hook = this.store.get("webhooks", hookId)
    const status = record.status
    if (status !== null && status >= 200 && status < 400) {
      record.outcome = "delivered"
      if (hook && hook._failing_since !== undefined) {
        delete hook._failing_since
        this.store.markWritten(hook, false)
      }
      const rate = this.config.duplicateRate()
      if (!record.duplicate && rate > 0 && this.rand() < rate) {
        // at-least-once: the same notification again, a first-retry delay later
        const delayS = sidekiqDelaySeconds(0, Math.floor(this.rand() * 10))
        this.scheduleAt({
          delivery: d,
          attempt: record.attempt + 1,
          dueAt: Date.now() + delayS * 1000 * this.config.timeScale(),
          virtualAt: virtualAt + delayS * 1000,
          duplicate: true,
        })
      }
      return
    }
    if (record.duplicate) {
      record.outcome = "failed" // a failed duplicate is not retried: the original was delivered
      return
    }
    if (status === 410) {
      record.outcome = "gone"
      if (hook) this.store.delete("webhooks", hook.id)
      return
    }
    if (hook) {
      if (hook._failing_since === undefined) {
        hook._failing_since = virtualAt
        this.store.markWritten(hook, false)
      }
      if (virtualAt - hook._failing_since >= FAILURE_WINDOW_MS) {
        record.outcome = "deleted"
        this.store.delete("webhooks", hook.id)
        return
      }
    }
    const fixed = this.config.retryDelaysMs()
    const retry = record.attempt - 1 // 0-based retry count
    let delayMs: number | undefined
    if (fixed) delayMs = fixed[retry]
    else if (retry < SIDEKIQ_MAX_RETRIES) delayMs = sidekiqDelaySeconds(retry, Math.floor(this.rand() * 10)) * 1000
    if (delayMs !== undefined && hook) {
      record.outcome = "retrying"
      record.retryInSeconds = delayMs / 1000
      const realMs = fixed ? delayMs : delayMs * this.config.timeScale()
      this.scheduleAt({
        delivery: d,
        attempt: record.attempt + 1,
        dueAt: Date.now() + realMs,
        virtualAt: virtualAt + delayMs,
        duplicate: false,
      })
    } else record.outcome = "failed"
  }

  /** Control API: forget recorded attempts (pending deliveries continue). */
  clearLog(): void {
    this.attempts.length = 0
  }

  /** Drops scheduled retries (used by reset). */
  cancelPending(): void {
    for (const t of this.timers.keys()) clearTimeout(t)
    this.timers.clear()
    this.onChange()
  }

  close(): void {
    this.closed = true
    this.cancelPending()
    for (const r of this.requests) r.destroy()
    this.requests.clear()
  }
}
