// startSandbox(): the HTTP server and the per-request pipeline.
//
//   /__sandbox/*  → control API (control.ts; no auth, not logged, not rate limited)
//   everything else, in order:
//     request log → "down" switch → /oauth/* → bearer auth (401) →
//     rate limit (429) → Idempotency-Key (replay / 409) → injected faults →
//     REST routing (routes.ts) → webhook dispatch of the events raised
// Every API answer carries Content-Type: application/json; charset=utf-8,
// X-Request-Id, X-Runtime and, once the caller is known, X-Rate-Limit-*.
import { createHash, randomUUID } from "node:crypto"
import http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { ApiError, conflict, serverError, tooManyRequests } from "./conventions/errors"
import { fingerprint, IdempotencyCache } from "./conventions/idempotency"
import { RateLimiter, type RateLimitState } from "./conventions/rate-limit"
import { handleControl } from "./control"
import { Faults } from "./faults"
import { parseBody, parseParams, readBody, type Query } from "./http"
import { OAuth } from "./oauth"
import { RequestLog, type LogEntry } from "./request-log"
import type { Caller, Ctx } from "./resources/define"
import { ID_BASES } from "./resources"
import { handleApi } from "./routes"
import { resetStockSnapshot } from "./domain/stock"
import { Persistence } from "./persistence"
import { seedStore } from "./seed"
import { Clock, Store } from "./store"
import {
  DEFAULT_SEED,
  resolveOptions,
  type Json,
  type ResolvedOptions,
  type SandboxHandle,
  type SandboxOptions,
  type SeedOptions,
} from "./types"
import { WebhookDispatcher } from "./webhooks"

const JSON_TYPE = "application/json; charset=utf-8"

export class Sandbox {
  readonly options: ResolvedOptions
  readonly clock: Clock
  readonly store: Store
  readonly oauth: OAuth
  readonly limiter: RateLimiter
  readonly idempotency = new IdempotencyCache()
  readonly faults = new Faults()
  readonly log = new RequestLog()
  readonly webhooks: WebhookDispatcher
  /** false, or how requests fail while the API is "down". */
  down: false | "reset" | "503" = false
  baseUrl = ""
  readonly server: http.Server
  /** The seed options the current data came from (saved in the state file). */
  loadedSeed: Required<SeedOptions> | false
  /** The state file, when options.stateFile is set. */
  readonly persistence: Persistence | undefined
  /** true when the data came from an existing state file rather than the seed. */
  readonly restored: boolean = false
  private hangs = new Set<NodeJS.Timeout>()
  private sockets = new Set<Socket>()

  constructor(opts: SandboxOptions = {}) {
    this.options = resolveOptions(opts)
    this.clock = new Clock(this.options.now)
    this.store = new Store(this.clock, ID_BASES)
    this.oauth = new OAuth(this.options.credentials, this.options.accessTokenTtlSeconds, () => this.clock.now())
    this.limiter = new RateLimiter(this.options.rateLimit.limit, this.options.rateLimit.windowSeconds)
    this.webhooks = new WebhookDispatcher(this.store, {
      secret: () => this.options.webhookSecret,
      retryDelaysMs: () => this.options.webhookRetryDelaysMs,
      timeScale: () => this.options.webhookTimeScale,
      duplicateRate: () => this.options.webhookDuplicateRate,
      timeoutMs: () => this.options.webhookTimeoutMs,
      baseUrl: () => this.baseUrl,
    })
    this.loadedSeed = this.options.seed
    if (this.options.stateFile) {
      this.persistence = new Persistence(this, this.options.stateFile)
      this.restored = this.persistence.load()
    }
    if (this.restored) resetStockSnapshot(this.store)
    else seedStore(this.store, this.options.seed)
    if (this.persistence) {
      const p = this.persistence
      this.store.onChange = () => p.schedule()
      this.webhooks.onChange = () => p.schedule()
      if (!this.restored) p.save()
    }
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        console.error("[tradegecko-sandbox] unhandled error", err)
        if (!res.headersSent) res.writeHead(500, { "Content-Type": JSON_TYPE })
        res.end()
      })
    })
    this.server.on("connection", (s) => {
      this.sockets.add(s)
      s.on("close", () => this.sockets.delete(s))
    })
  }

  /** Context for code running as the sandbox's own application (control API, webhooks). */
  ctx(caller: Caller = { applicationId: 1, accountId: 1, userId: 1 }): Ctx {
    return { store: this.store, options: this.options, baseUrl: this.baseUrl, caller }
  }

  /** Wipes data and reseeds; tokens, rate-limit settings and the clock are kept. */
  reset(seed?: SeedOptions | false): void {
    const opts =
      seed === undefined
        ? this.options.seed
        : seed === false
          ? false
          : { ...(this.options.seed || DEFAULT_SEED), ...seed }
    this.webhooks.cancelPending()
    this.webhooks.clearLog()
    seedStore(this.store, opts)
    this.loadedSeed = opts
    this.faults.clear()
    this.log.clear()
    this.idempotency.clear()
    this.limiter.reset()
    this.down = false
    this.persistence?.save()
  }

  /** A request or control call may have changed state outside the store (tokens, keys): save soon. */
  changed(): void {
    this.persistence?.schedule()
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject)
      this.server.listen(this.options.port, this.options.host, () => {
        const { port } = this.server.address() as AddressInfo
        const host = this.options.host.includes(":") ? `[${this.options.host}]` : this.options.host
        this.baseUrl = `http://${host}:${port}`
        resolve()
      })
    })
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port
  }

  async close(): Promise<void> {
    if (this.persistence) {
      this.persistence.save()
      this.store.onChange = () => {}
      this.webhooks.onChange = () => {}
    }
    this.webhooks.close()
    for (const t of this.hangs) clearTimeout(t)
    this.hangs.clear()
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
      for (const s of this.sockets) s.destroy()
    })
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint()
    const url = new URL(req.url ?? "/", "http://sandbox.local")
    if (url.pathname === "/__sandbox" || url.pathname.startsWith("/__sandbox/")) {
      res.on("finish", () => req.method !== "GET" && this.changed())
      return handleControl(this, req, res, url)
    }
    if (req.method !== "GET") res.on("finish", () => this.changed())

    const method = (req.method ?? "GET").toUpperCase()
    const pathname = url.pathname
    const path = pathname.replace(/\.json$/, "").replace(/\/+$/, "") || "/"
    const idemKey = headerValue(req, "idempotency-key")
    const entry = this.log.start(method, path, req.url ?? "/", idemKey ?? null, this.clock.now())
    const requestId = randomUUID()
    let rate: RateLimitState | undefined

    const send = (status: number, body: string | undefined, headers: Record<string, string> = {}) => {
      const out: Record<string, string> = {
        // Date follows the sandbox clock, so it agrees with X-Rate-Limit-Reset when the clock is moved.
        Date: new Date(this.clock.now()).toUTCString(),
        "X-Request-Id": requestId,
        ...(rate ? RateLimiter.headers(rate) : {}),
        ...headers,
      }
      if (body !== undefined && status !== 204 && status !== 304) out["Content-Type"] ??= JSON_TYPE
      out["X-Runtime"] = (Number(process.hrtime.bigint() - started) / 1e9).toFixed(6)
      if (status >= 200 && status < 300 && method === "GET" && body) {
        const etag = `W/"${createHash("md5").update(body).digest("hex")}"`
        out.ETag = etag
        out["Cache-Control"] = "max-age=0, private, must-revalidate"
        if (headerValue(req, "if-none-match") === etag) {
          status = 304
          body = undefined
          delete out["Content-Type"]
        }
      } else out["Cache-Control"] ??= "no-cache"
      res.writeHead(status, out)
      res.end(status === 204 || status === 304 ? undefined : body)
      this.finish(entry, status, started, req)
    }
    const sendError = (err: ApiError) => send(err.status, JSON.stringify(err.body), err.headers)
    const drop = () => {
      req.socket.destroy()
      this.finish(entry, 0, started, req)
    }

    if (this.down === "reset") return drop()
    if (this.down === "503") return sendError(serverError(503))

    let idemScope: string | undefined
    try {
      const raw = await readBody(req)
      const query = parseParams(url.search.slice(1)) as Query

      if (path.startsWith("/oauth/")) {
        if (await this.applyFault(method, path, send, sendError, drop)) return
        const params = raw ? parseBody(raw, req.headers["content-type"]) : {}
        const out = this.oauth.handle(method, path, query, params as Record<string, unknown>, req.headers.authorization)
        if (out) return send(out.status, out.body, out.headers)
      }

      const auth = this.oauth.authenticate(
        req.headers.authorization,
        typeof query.access_token === "string" ? query.access_token : undefined
      )
      if (!auth.ok) return sendError(auth.error)
      const caller = auth.caller
      const quotaKey = `${caller.applicationId}:${caller.accountId}`
      rate = this.limiter.hit(quotaKey, this.clock.now())
      if (rate.exceeded) return sendError(tooManyRequests(rate.limit, this.limiter.windowSeconds, rate.reset))

      if (idemKey && (method === "POST" || method === "PUT")) {
        const begin = this.idempotency.begin(
          quotaKey,
          idemKey,
          fingerprint(method, path + url.search, raw),
          this.clock.now()
        )
        if (begin.kind === "conflict") return sendError(conflict())
        if (begin.kind === "replay")
          return send(begin.response.status, begin.response.body || undefined, begin.response.headers)
        idemScope = quotaKey
      }

      if (await this.applyFault(method, path, send, sendError, drop)) {
        if (idemScope && idemKey) this.idempotency.abort(idemScope, idemKey)
        return
      }

      const body = parseBody(raw, req.headers["content-type"])
      const ctx = this.ctx(caller)
      let status: number
      let text: string | undefined
      let headers: Record<string, string> = {}
      try {
        const result = handleApi(
          { method, segments: path.split("/").filter(Boolean), pathname, query, rawQuery: url.search.slice(1), body },
          ctx
        )
        status = result.status
        text = result.body === undefined ? undefined : JSON.stringify(result.body as Json)
        headers = result.headers ?? {}
      } finally {
        this.webhooks.dispatch(this.store.drainEvents())
      }
      if (idemScope && idemKey) {
        this.idempotency.complete(idemScope, idemKey, {
          status,
          body: text ?? "",
          headers: pick(headers, ["Location", "X-Pagination", "Link"]),
        })
      }
      send(status, text, headers)
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : undefined
      if (!apiErr) console.error("[tradegecko-sandbox] error handling", method, req.url, err)
      const e = apiErr ?? serverError(500)
      if (idemScope && idemKey)
        this.idempotency.complete(idemScope, idemKey, {
          status: e.status,
          body: JSON.stringify(e.body),
          headers: e.headers,
        })
      if (!res.headersSent) sendError(e)
    }
  }

  /** Applies an injected fault; returns true when the request was answered (or dropped). */
  private async applyFault(
    method: string,
    path: string,
    send: (status: number, body: string | undefined, headers?: Record<string, string>) => void,
    sendError: (e: ApiError) => void,
    drop: () => void
  ): Promise<boolean> {
    const fault = this.faults.match(method, path)
    if (!fault) return false
    switch (fault.mode) {
      case "500":
      case "503":
        sendError(serverError(Number(fault.mode) as 500 | 503))
        return true
      case "429": {
        const reset =
          Math.floor(this.clock.now() / 1000 / this.limiter.windowSeconds) * this.limiter.windowSeconds +
          this.limiter.windowSeconds
        const err = tooManyRequests(this.limiter.limit, this.limiter.windowSeconds, reset)
        send(
          429,
          JSON.stringify(err.body),
          RateLimiter.headers({ limit: this.limiter.limit, remaining: 0, reset, exceeded: true })
        )
        return true
      }
      case "reset":
        drop()
        return true
      case "hang": {
        const timer = setTimeout(() => {
          this.hangs.delete(timer)
          drop()
        }, fault.hangMs)
        this.hangs.add(timer)
        return true
      }
      case "delay":
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.hangs.delete(timer)
            resolve()
          }, fault.delayMs)
          this.hangs.add(timer)
        })
        return false
    }
  }

  private finish(entry: LogEntry, status: number, started: bigint, req: http.IncomingMessage): void {
    entry.status = status
    entry.durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6)
    if (this.options.logRequests)
      console.log(`${req.method} ${req.url} → ${status || "dropped"} (${entry.durationMs} ms)`)
  }
}

function headerValue(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function pick(obj: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(obj).filter(([k]) => keys.includes(k)))
}

/** Starts a sandbox; resolves once it is listening. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const sandbox = new Sandbox(opts)
  await sandbox.listen()
  return {
    url: sandbox.baseUrl,
    port: sandbox.port,
    credentials: { ...sandbox.options.credentials },
    restored: sandbox.restored,
    close: () => sandbox.close(),
  }
}
