/**
 * Typed errors. Everything the client throws for an API call is a `TradegeckoError`
 * carrying the HTTP method, the request path (no query string), the HTTP status (when
 * there was a response) and TradeGecko's `X-Request-Id` (quote it to support).
 */

export interface TradegeckoErrorInit {
  method: string
  path: string
  status?: number
  requestId?: string
  body?: unknown
  code?: string
  attempts?: number
  cause?: unknown
}

export class TradegeckoError extends Error {
  readonly status: number | undefined
  readonly method: string
  readonly path: string
  readonly requestId: string | undefined
  /** Parsed response body, when there was one. */
  readonly body: unknown
  /** Low-level error code (ETIMEDOUT, ECONNREFUSED, …) when there was no response. */
  readonly code: string | undefined
  /** HTTP attempts made for this call (1 + retries). */
  readonly attempts: number | undefined

  constructor(message: string, init: TradegeckoErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = new.target.name
    this.status = init.status
    this.method = init.method.toUpperCase()
    this.path = init.path
    this.requestId = init.requestId
    this.body = init.body
    this.code = init.code
    this.attempts = init.attempts
  }

  /** Plain object for structured logs (no secrets: headers are never included). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      method: this.method,
      path: this.path,
      requestId: this.requestId,
      code: this.code,
      attempts: this.attempts,
    }
  }
}

/** 400: malformed request (e.g. missing root key: "Required parameter missing: invoice"). */
export class TradegeckoBadRequestError extends TradegeckoError {}

/** 401: token invalid — for OAuth clients, still 401 after one refresh-and-retry; or the refresh itself was refused. */
export class TradegeckoUnauthorizedError extends TradegeckoError {}

/** 403 (permissions) and 402 (subscription lapsed). */
export class TradegeckoForbiddenError extends TradegeckoError {}

/** 404: unknown id or path. */
export class TradegeckoNotFoundError extends TradegeckoError {}

/** 409: duplicate Idempotency-Key (in flight, or reused with a different body). */
export class TradegeckoConflictError extends TradegeckoError {}

/** 422: validation failed. `fields` maps attribute → messages (`base` = record-level). */
export class TradegeckoValidationError extends TradegeckoError {
  readonly fields: Record<string, string[]>
  constructor(message: string, init: TradegeckoErrorInit & { fields: Record<string, string[]> }) {
    super(message, init)
    this.fields = init.fields
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields }
  }
}

/** 429 that survived the client's own waiting (only after `maxRateLimitRetries` waits). */
export class TradegeckoRateLimitedError extends TradegeckoError {
  /** `X-Rate-Limit-Reset` as a Date (server clock), when sent. */
  readonly resetAt: Date | undefined
  constructor(message: string, init: TradegeckoErrorInit & { resetAt?: Date }) {
    super(message, init)
    this.resetAt = init.resetAt
  }
}

/** 5xx, timeout or connection failure, after retries (or not retried because unsafe). */
export class TradegeckoUnavailableError extends TradegeckoError {}

/** The API answered 2xx but the body did not have the expected shape. */
export class TradegeckoResponseError extends TradegeckoError {}

/** Invalid client options (thrown by the constructor). */
export class TradegeckoConfigurationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "TradegeckoConfigurationError"
  }
}

export function isTradegeckoError(value: unknown): value is TradegeckoError {
  return value instanceof TradegeckoError
}
