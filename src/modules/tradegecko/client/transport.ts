/**
 * HTTP transport: one axios instance per client.
 *
 * Layers, outermost first:
 *  1. axios-retry — exponential backoff for 5xx, timeouts and connection errors, but only
 *     for replay-safe requests: GET/HEAD/DELETE/PUT, and POSTs (or appending order PUTs)
 *     that carry an Idempotency-Key. A POST without a key is never retried blindly (only
 *     a refused connection, which proves the request never reached the server).
 *  2. custom adapter (`dispatch`) — every single HTTP attempt goes through the pacer
 *     (concurrency + the account's shared rate budget), gets a fresh access token, and
 *     transparently re-sends after a 429 (wait for the window reset — not counted as a
 *     retry; a fail-fast client throws instead) and after a 401 (refresh once, single flight).
 *  3. axios' own http adapter.
 */
import axios, {
  AxiosError,
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  type Method,
} from "axios"
import axiosRetry, { type IAxiosRetryConfigExtended } from "axios-retry"
import {
  TradegeckoBadRequestError,
  TradegeckoConflictError,
  TradegeckoError,
  TradegeckoForbiddenError,
  TradegeckoNotFoundError,
  TradegeckoRateLimitedError,
  TradegeckoUnauthorizedError,
  TradegeckoUnavailableError,
  TradegeckoValidationError,
  type TradegeckoErrorInit,
} from "./errors"
import type { TradegeckoLogger } from "./logger"
import type { TokenManager } from "./oauth"
import { headerValue, parseRateLimitHeaders, type RatePacer } from "./pacing"
import { serializeParams } from "./pagination"
import { TypeMessageErrorBodySchema, ValidationErrorBodySchema } from "./schemas"

export interface RequestMeta {
  /** Whether re-sending after an ambiguous failure (5xx/timeout) cannot duplicate effects. */
  replaySafe: boolean
  /** Path without query, for errors and logs. */
  path: string
}

declare module "axios" {
  interface AxiosRequestConfig {
    tradegecko?: RequestMeta
  }
}

export interface ClientStats {
  /** HTTP attempts sent to the API (retries and re-sends included; token calls excluded). */
  requests: number
  /** Re-sends by the retry policy (5xx, timeouts, connection errors). */
  retries: number
  /** 429 responses received. */
  rateLimited: number
  /** Times the pacer held all calls until the rate-limit window reset. */
  rateLimitWaits: number
  /** Milliseconds spent in those holds. */
  rateLimitWaitMs: number
  /** Calls a fail-fast client refused without sending, because the window was used up. */
  rateLimitRefused: number
  /** Access-token refreshes performed. */
  refreshes: number
  /** 401 responses received. */
  unauthorized: number
  /** Calls that ended in an error. */
  failures: number
}

export interface TransportConfig {
  baseUrl: string
  timeoutMs: number
  maxRetries: number
  retryBaseDelayMs: number
  maxRetryDelayMs: number
  maxRateLimitRetries: number
  userAgent: string
  logger: TradegeckoLogger
  pacer: RatePacer
  auth: TokenManager
  stats: ClientStats
}

export interface RequestOptions {
  params?: Record<string, unknown>
  /** JSON body (already wrapped in its root key). */
  data?: unknown
  idempotencyKey?: string
  headers?: Record<string, string>
  /** Override the replay-safety decision (default: by method and Idempotency-Key). */
  replaySafe?: boolean
}

export interface RawResponse<T = unknown> {
  status: number
  data: T
  headers: Record<string, string>
  requestId: string | undefined
}

const REPLAY_SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
/** Connection errors that prove the request was never received. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ECONNABORTED"])

export class Transport {
  readonly http: AxiosInstance
  private readonly baseAdapter: AxiosAdapter

  constructor(private readonly cfg: TransportConfig) {
    this.baseAdapter = axios.getAdapter(axios.defaults.adapter)
    this.http = axios.create({
      baseURL: cfg.baseUrl,
      timeout: cfg.timeoutMs,
      headers: { Accept: "application/json", "User-Agent": cfg.userAgent },
      paramsSerializer: { serialize: (params) => serializeParams(params as Record<string, unknown>) },
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: true },
      validateStatus: (status) => status >= 200 && status < 300,
      maxRedirects: 0,
      adapter: (config) => this.dispatch(config),
    })
    axiosRetry(this.http, {
      retries: cfg.maxRetries,
      shouldResetTimeout: true,
      retryCondition: (error) => this.shouldRetry(error),
      retryDelay: (retryCount, error) =>
        Math.min(cfg.maxRetryDelayMs, axiosRetry.exponentialDelay(retryCount - 1, error, cfg.retryBaseDelayMs)),
      onRetry: (retryCount, error, config) => {
        cfg.stats.retries++
        const meta = config.tradegecko
        cfg.logger.warn(
          `TradeGecko ${String(config.method).toUpperCase()} ${meta?.path ?? config.url}: ${describeFailure(error)}; ` +
            `retry ${retryCount}/${cfg.maxRetries}`
        )
      },
    })
  }

  async request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<RawResponse<T>> {
    const upper = method.toUpperCase()
    const headers: Record<string, string> = { ...opts.headers }
    if (opts.idempotencyKey) headers["Idempotency-Key"] = opts.idempotencyKey
    if (opts.data !== undefined) headers["Content-Type"] = "application/json"
    const replaySafe = opts.replaySafe ?? (REPLAY_SAFE_METHODS.has(upper) || Boolean(opts.idempotencyKey))
    const cleanPath = path.startsWith("/") ? path : `/${path}`
    try {
      const res = await this.http.request<T>({
        method,
        url: cleanPath,
        params: opts.params,
        data: opts.data,
        headers,
        tradegecko: { replaySafe, path: cleanPath },
      })
      return {
        status: res.status,
        data: (res.data === "" ? undefined : res.data) as T,
        headers: flattenHeaders(res.headers),
        requestId: headerValue(res.headers, "x-request-id"),
      }
    } catch (err) {
      this.cfg.stats.failures++
      throw this.toError(err, upper, cleanPath)
    }
  }

  /** Adapter: every HTTP attempt is paced, authorized, and re-sent on 429 / first 401. */
  private async dispatch(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const retryState = config["axios-retry"] as IAxiosRetryConfigExtended | undefined
    const isRetry = (retryState?.retryCount ?? 0) > 0
    let rateLimitWaits = 0
    let authRetried = false
    // A loop rather than axios-retry because these re-sends are not failures: a 429 means
    // "not processed, come back at reset" (safe for any method, waited out by the pacer,
    // not counted against maxRetries) and a 401 needs a token refresh first.
    for (;;) {
      let usedToken: string | undefined
      try {
        return await this.cfg.pacer.schedule(
          async (observe) => {
            usedToken = await this.cfg.auth.getAccessToken()
            config.headers.set("Authorization", `Bearer ${usedToken}`)
            this.cfg.stats.requests++
            try {
              const res = await this.baseAdapter(config)
              observe(res.headers, res.status)
              return res
            } catch (err) {
              if (err instanceof AxiosError && err.response) observe(err.response.headers, err.response.status)
              throw err
            }
          },
          isRetry || rateLimitWaits > 0 || authRetried ? 4 : 5,
          `${String(config.method).toUpperCase()} ${config.tradegecko?.path ?? config.url}`
        )
      } catch (err) {
        const status = err instanceof AxiosError ? err.response?.status : undefined
        const meta = config.tradegecko
        const label = `${String(config.method).toUpperCase()} ${meta?.path ?? config.url}`
        if (status === 429) {
          this.cfg.stats.rateLimited++
          // A fail-fast (checkout) client never waits for the window: the shopper is waiting.
          if (!this.cfg.pacer.failFast && rateLimitWaits < this.cfg.maxRateLimitRetries) {
            rateLimitWaits++
            this.cfg.logger.warn(
              `TradeGecko ${label}: 429 Too Many Requests; waiting for the window reset (wait ${rateLimitWaits})`
            )
            continue
          }
        }
        if (status === 401) {
          this.cfg.stats.unauthorized++
          if (this.cfg.auth.canRefresh && !authRetried && usedToken !== undefined) {
            authRetried = true
            this.cfg.logger.info(`TradeGecko ${label}: 401; refreshing the access token and retrying once`)
            await this.cfg.auth.refresh(usedToken)
            continue
          }
          if (err instanceof AxiosError) (err as AxiosError & { tgAfterRefresh?: boolean }).tgAfterRefresh = authRetried
        }
        throw err
      }
    }
  }

  private shouldRetry(error: AxiosError): boolean {
    const config = error.config
    if (!config || error.code === AxiosError.ERR_CANCELED) return false
    const replaySafe = config.tradegecko?.replaySafe ?? REPLAY_SAFE_METHODS.has(String(config.method).toUpperCase())
    const response = error.response
    if (!response) {
      if (error.code && NEVER_SENT_CODES.has(error.code)) return true
      return replaySafe
    }
    if (response.status >= 500) return replaySafe
    // A keyed POST re-sent after a timeout can meet its own first attempt still running
    // (409 "Duplicate Idempotency Key"): back off and ask again, the replay will follow.
    const retryCount = (config["axios-retry"] as IAxiosRetryConfigExtended | undefined)?.retryCount ?? 0
    if (response.status === 409 && retryCount > 0 && headerValue(config.headers, "idempotency-key")) return true
    return false
  }

  private toError(err: unknown, method: string, path: string): Error {
    if (err instanceof TradegeckoError) return err
    if (!(err instanceof AxiosError)) return err instanceof Error ? err : new Error(String(err))
    const retryCount = (err.config?.["axios-retry"] as IAxiosRetryConfigExtended | undefined)?.retryCount ?? 0
    const attempts = retryCount + 1
    const response = err.response
    const attemptsText = attempts > 1 ? ` after ${attempts} attempts` : ""
    if (!response) {
      const code = err.code
      const init: TradegeckoErrorInit = { method, path, code, attempts, cause: safeCause(err) }
      if (code && TIMEOUT_CODES.has(code)) {
        return new TradegeckoUnavailableError(
          `TradeGecko did not answer ${method} ${path} within ${err.config?.timeout ?? "?"} ms${attemptsText}`,
          init
        )
      }
      return new TradegeckoUnavailableError(
        `TradeGecko unreachable for ${method} ${path} (${code ?? err.message})${attemptsText}`,
        init
      )
    }
    const status = response.status
    const body = response.data as unknown
    const requestId = headerValue(response.headers, "x-request-id")
    const init: TradegeckoErrorInit = { method, path, status, requestId, body, attempts, cause: safeCause(err) }
    const detail = errorDetail(body) ?? response.statusText ?? `HTTP ${status}`
    const rejected = `TradeGecko rejected ${method} ${path} (${status}): ${detail}`
    switch (true) {
      case status === 422: {
        const fields = validationFields(body)
        const summary = fieldsSummary(fields)
        return new TradegeckoValidationError(`TradeGecko rejected ${method} ${path} (422): ${summary ?? detail}`, {
          ...init,
          fields,
        })
      }
      case status === 400:
        return new TradegeckoBadRequestError(rejected, init)
      case status === 401: {
        const after = (err as AxiosError & { tgAfterRefresh?: boolean }).tgAfterRefresh
        return new TradegeckoUnauthorizedError(
          `${rejected}${after ? " (still 401 after refreshing the access token)" : ""}`,
          init
        )
      }
      case status === 402 || status === 403:
        return new TradegeckoForbiddenError(rejected, init)
      case status === 404:
        return new TradegeckoNotFoundError(rejected, init)
      case status === 409:
        return new TradegeckoConflictError(rejected, init)
      case status === 429: {
        const rl = parseRateLimitHeaders(response.headers)
        return new TradegeckoRateLimitedError(
          `TradeGecko rate limit exceeded for ${method} ${path} (429)` +
            (this.cfg.pacer.failFast
              ? " (not waited for: fail-fast client)"
              : ` after waiting ${this.cfg.maxRateLimitRetries} times`) +
            (rl ? `; window resets at ${new Date(rl.reset * 1000).toISOString()}` : ""),
          { ...init, resetAt: rl ? new Date(rl.reset * 1000) : undefined }
        )
      }
      case status >= 500:
        return new TradegeckoUnavailableError(
          `TradeGecko failed ${method} ${path} (${status})${attemptsText}: ${detail}`,
          init
        )
      default:
        return new TradegeckoError(rejected, init)
    }
  }
}

function describeFailure(error: AxiosError): string {
  if (error.response) return `HTTP ${error.response.status}`
  return error.code ?? error.message
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const source =
    headers && typeof (headers as { toJSON?: unknown }).toJSON === "function"
      ? (headers as { toJSON(): Record<string, unknown> }).toJSON()
      : (headers as Record<string, unknown> | undefined)
  for (const [k, v] of Object.entries(source ?? {})) {
    if (v === undefined || v === null) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v)
  }
  return out
}

/** `{"errors":{"name":["can't be blank"]}}` → `{ name: ["can't be blank"] }`. */
function validationFields(body: unknown): Record<string, string[]> {
  const parsed = ValidationErrorBodySchema.safeParse(body)
  if (!parsed.success) return {}
  const out: Record<string, string[]> = {}
  for (const [field, messages] of Object.entries(parsed.data.errors)) {
    out[field] = Array.isArray(messages) ? messages.map(String) : [String(messages)]
  }
  return out
}

/** "company_id can't be blank; issued_at can't be blank" (`base` messages without prefix). */
function fieldsSummary(fields: Record<string, string[]>): string | undefined {
  const parts: string[] = []
  for (const [field, messages] of Object.entries(fields)) {
    for (const m of messages) parts.push(field === "base" ? m : `${field} ${m}`)
  }
  return parts.length ? parts.join("; ") : undefined
}

function errorDetail(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() ? body.trim().slice(0, 300) : undefined
  const fields = fieldsSummary(validationFields(body))
  if (fields) return fields
  const tm = TypeMessageErrorBodySchema.safeParse(body)
  if (tm.success && (tm.data.message || tm.data.type)) return tm.data.message ?? tm.data.type
  if (body && typeof body === "object") {
    const b = body as Record<string, unknown>
    if (typeof b.error_description === "string") return b.error_description
    if (typeof b.error === "string") return b.error
  }
  return undefined
}

/**
 * The transport error as a cause, without its request: axios errors carry the request
 * config and the raw request headers (Authorization: Bearer …), and loggers print causes
 * in full. Only the message and the error code survive.
 */
function safeCause(err: AxiosError): Error {
  const cause = new Error(err.message)
  cause.name = "TransportError"
  if (err.code) (cause as Error & { code?: string }).code = err.code
  return cause
}
