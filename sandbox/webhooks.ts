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
// within the timeout, 10 s by default) is retried after each delay in
// webhookRetryDelaysMs, then dropped. A subscription that keeps failing for 3
// days of sandbox clock time is deleted (spec §5.4).
import { createHmac, randomUUID } from "node:crypto"
import http from "node:http"
import https from "node:https"
import type { SandboxEvent, Store } from "./store"

export const FAILURE_WINDOW_MS = 3 * 24 * 60 * 60 * 1000

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
  at: string
  durationMs: number | null
}

export interface WebhookConfig {
  secret: () => string
  retryDelaysMs: () => number[]
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

export function signature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64")
}

export class WebhookDispatcher {
  readonly attempts: DeliveryAttempt[] = []
  private timers = new Set<NodeJS.Timeout>()
  private requests = new Set<http.ClientRequest>()
  private closed = false

  constructor(
    private readonly store: Store,
    private readonly config: WebhookConfig,
  ) {}

  /** Deliveries scheduled or in flight. */
  get pending(): number {
    return this.timers.size + this.requests.size
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
        this.schedule(delivery, 1, 0)
      }
    }
  }

  private schedule(d: Delivery, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      this.attempt(d, attempt)
    }, delayMs)
    this.timers.add(timer)
  }

  private attempt(d: Delivery, attempt: number): void {
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
      at: new Date(this.store.now()).toISOString(),
      durationMs: null,
    }
    this.attempts.push(record)
    const started = Date.now()
    const done = (status: number | null, error: string | null) => {
      record.status = status
      record.error = error
      record.durationMs = Date.now() - started
      this.settle(d, record, hook.id)
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

  private settle(d: Delivery, record: DeliveryAttempt, hookId: unknown): void {
    const hook = this.store.get("webhooks", hookId)
    const status = record.status
    if (status !== null && status >= 200 && status < 400) {
      record.outcome = "delivered"
      if (hook) delete hook._failing_since
      return
    }
    if (status === 410) {
      record.outcome = "gone"
      if (hook) this.store.delete("webhooks", hook.id)
      return
    }
    if (hook) {
      hook._failing_since ??= this.store.now()
      if (this.store.now() - hook._failing_since >= FAILURE_WINDOW_MS) {
        record.outcome = "deleted"
        this.store.delete("webhooks", hook.id)
        return
      }
    }
    const delays = this.config.retryDelaysMs()
    if (record.attempt <= delays.length && hook) {
      record.outcome = "retrying"
      this.schedule(d, record.attempt + 1, delays[record.attempt - 1])
    } else record.outcome = "failed"
  }

  /** Control API: forget recorded attempts (pending deliveries continue). */
  clearLog(): void {
    this.attempts.length = 0
  }

  /** Drops scheduled retries (used by reset). */
  cancelPending(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  close(): void {
    this.closed = true
    this.cancelPending()
    for (const r of this.requests) r.destroy()
    this.requests.clear()
  }
}
