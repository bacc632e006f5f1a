/**
 * OAuth 2 token handling.
 *
 *  - Privileged access tokens never expire and are used as-is.
 *  - OAuth access tokens live 2 h; refresh tokens ROTATE (each refresh returns a new
 *    one and invalidates the old). Losing the newest refresh token means re-authorizing,
 *    so: refreshes are single-flight per client (one POST /oauth/token no matter how
 *    many calls need a token at that moment), the new pair is handed to `onTokens`
 *    (awaited) before any caller uses it, and a refresh is never retried automatically
 *    (a retry after a lost response would present an already-rotated token).
 *  - Refresh happens proactively when `expiresAt < now + refreshSkewMs` (30 s, like
 *    TradeGecko's own access_token_wrapper) and after a 401 (then the call is retried once).
 */
import axios, { AxiosError } from "axios"
import { TradegeckoUnauthorizedError, TradegeckoUnavailableError, TradegeckoError } from "./errors"
import type { TradegeckoLogger } from "./logger"
import { OAuthErrorBodySchema, TokenResponseSchema, TypeMessageErrorBodySchema } from "./schemas"

/** Token set persisted by the plugin. `expiresAt` is epoch milliseconds (local clock). */
export interface TradegeckoTokens {
  accessToken: string
  refreshToken: string
  expiresAt: number
  tokenType?: string
  scope?: string
}

export type OnTokens = (tokens: TradegeckoTokens) => void | Promise<void>

/**
 * Wraps every refresh, for apps running several processes on one OAuth connection: take a
 * shared lock, and if another process already rotated the pair (the stored refresh token is
 * not `current.refreshToken`), return the stored pair instead of calling `refresh` with a
 * revoked token. Whatever it returns becomes the client's tokens (and goes to onTokens).
 */
export type RefreshCoordinator = (
  refresh: (refreshToken: string) => Promise<TradegeckoTokens>,
  current: TradegeckoTokens
) => Promise<TradegeckoTokens>

export interface TokenEndpointConfig {
  baseUrl: string
  clientId: string
  clientSecret: string
  redirectUri?: string
  timeoutMs?: number
}

const TOKEN_PATH = "/oauth/token"

/** Normalises an expiry given as epoch ms, epoch seconds (< 1e12), Date or ISO string to epoch ms. */
export function normalizeExpiresAt(value: number | string | Date): number {
  if (value instanceof Date) return value.getTime()
  if (typeof value === "number") return value < 1e12 ? value * 1000 : value
  const asNumber = Number(value)
  if (value.trim() !== "" && Number.isFinite(asNumber)) return normalizeExpiresAt(asNumber)
  const parsed = Date.parse(value)
  if (!Number.isFinite(parsed)) throw new RangeError(`Invalid token expiry: ${value}`)
  return parsed
}

/** URL of the consent screen (`GET /oauth/authorize?response_type=code&client_id&redirect_uri[&state]`). */
export function buildAuthorizeUrl(params: {
  baseUrl: string
  clientId: string
  redirectUri: string
  state?: string
}): string {
  const url = new URL("/oauth/authorize", params.baseUrl.replace(/\/+$/, "") + "/")
  url.searchParams.set("response_type", "code")
  url.searchParams.set("client_id", params.clientId)
  url.searchParams.set("redirect_uri", params.redirectUri)
  if (params.state !== undefined) url.searchParams.set("state", params.state)
  return url.toString()
}

/** Exchanges an authorization code (from the redirect) for the first token pair. */
export async function exchangeAuthorizationCode(
  config: TokenEndpointConfig & { redirectUri: string; code: string }
): Promise<TradegeckoTokens> {
  return requestTokens(config, {
    grant_type: "authorization_code",
    code: config.code,
    redirect_uri: config.redirectUri,
  })
}

/** One refresh_token grant. Prefer `TokenManager` (single flight); this is the raw call. */
export async function refreshAccessToken(
  config: TokenEndpointConfig & { refreshToken: string }
): Promise<TradegeckoTokens> {
  const form: Record<string, string> = { grant_type: "refresh_token", refresh_token: config.refreshToken }
  if (config.redirectUri) form.redirect_uri = config.redirectUri
  return requestTokens(config, form, config.refreshToken)
}

async function requestTokens(
  config: TokenEndpointConfig,
  form: Record<string, string>,
  previousRefreshToken?: string
): Promise<TradegeckoTokens> {
  const baseUrl = config.baseUrl.replace(/\/+$/, "")
  const body = new URLSearchParams({ ...form, client_id: config.clientId, client_secret: config.clientSecret })
  const startedAt = Date.now()
  let response
  try {
    // Form-encoded per RFC 6749 (the API also accepted JSON). No retries: see file comment.
    response = await axios.post(`${baseUrl}${TOKEN_PATH}`, body.toString(), {
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      timeout: config.timeoutMs ?? 30_000,
      validateStatus: () => true,
      transitional: { clarifyTimeoutError: true },
    })
  } catch (err) {
    const code = err instanceof AxiosError ? err.code : undefined
    throw new TradegeckoUnavailableError(
      `TradeGecko token endpoint unreachable (POST ${TOKEN_PATH}): ${code ?? (err as Error).message}`,
      { method: "POST", path: TOKEN_PATH, code, cause: err, attempts: 1 }
    )
  }
  const requestId = response.headers["x-request-id"] as string | undefined
  if (response.status < 200 || response.status >= 300) {
    const oauthErr = OAuthErrorBodySchema.safeParse(response.data)
    const typeMsg = TypeMessageErrorBodySchema.safeParse(response.data)
    const detail = oauthErr.success
      ? `${oauthErr.data.error}${oauthErr.data.error_description ? `: ${oauthErr.data.error_description}` : ""}`
      : typeMsg.success && typeMsg.data.message
        ? typeMsg.data.message
        : `HTTP ${response.status}`
    const init = {
      method: "POST",
      path: TOKEN_PATH,
      status: response.status,
      requestId,
      body: response.data,
      attempts: 1,
    }
    if (response.status >= 500) {
      throw new TradegeckoUnavailableError(
        `TradeGecko token endpoint failed (POST ${TOKEN_PATH} ${response.status}): ${detail}`,
        init
      )
    }
    const what = form.grant_type === "refresh_token" ? "refresh the access token" : "issue an access token"
    throw new TradegeckoUnauthorizedError(
      `TradeGecko refused to ${what} (POST ${TOKEN_PATH} ${response.status}): ${detail}` +
        (form.grant_type === "refresh_token"
          ? " — the refresh token is no longer valid; the account must be re-authorized"
          : ""),
      init
    )
  }
  const parsed = TokenResponseSchema.safeParse(response.data)
  if (!parsed.success) {
    throw new TradegeckoError(`TradeGecko token endpoint returned an unexpected body (POST ${TOKEN_PATH})`, {
      method: "POST",
      path: TOKEN_PATH,
      status: response.status,
      requestId,
      body: response.data,
    })
  }
  const data = parsed.data
  const refreshToken = data.refresh_token ?? previousRefreshToken
  if (!refreshToken) {
    throw new TradegeckoError(`TradeGecko token endpoint returned no refresh_token (POST ${TOKEN_PATH})`, {
      method: "POST",
      path: TOKEN_PATH,
      status: response.status,
      requestId,
    })
  }
  return {
    accessToken: data.access_token,
    refreshToken,
    // Local clock at request start: safe even if the server clock is skewed.
    expiresAt: startedAt + (data.expires_in ?? 7200) * 1000,
    tokenType: data.token_type,
    scope: data.scope,
  }
}

export type TokenManagerConfig =
  | { kind: "privileged"; accessToken: string }
  | {
      kind: "oauth"
      endpoint: TokenEndpointConfig
      tokens: TradegeckoTokens
      onTokens?: OnTokens
      refreshCoordinator?: RefreshCoordinator
      refreshSkewMs: number
      logger: TradegeckoLogger
      onRefreshed?: () => void
    }

export class TokenManager {
  private tokens: TradegeckoTokens | undefined
  private readonly staticToken: string | undefined
  private inflight: Promise<TradegeckoTokens> | undefined
  /** Set when the token endpoint refused our refresh token; cleared by setTokens(). */
  private fatal: TradegeckoUnauthorizedError | undefined

  constructor(private readonly config: TokenManagerConfig) {
    if (config.kind === "privileged") this.staticToken = config.accessToken
    else this.tokens = { ...config.tokens }
  }

  get canRefresh(): boolean {
    return this.config.kind === "oauth"
  }

  /** Current OAuth tokens (undefined for a privileged token). */
  current(): TradegeckoTokens | undefined {
    return this.tokens ? { ...this.tokens } : undefined
  }

  /** Replaces the tokens (e.g. after re-authorization). Does not call onTokens. */
  setTokens(tokens: TradegeckoTokens): void {
    if (this.config.kind !== "oauth") throw new Error("setTokens() needs an OAuth client")
    this.tokens = { ...tokens }
    this.fatal = undefined
  }

  /** Access token to use now; refreshes first (single flight) when it is about to expire. */
  async getAccessToken(): Promise<string> {
    if (this.staticToken !== undefined) return this.staticToken
    if (this.inflight) return (await this.inflight).accessToken
    const tokens = this.tokens as TradegeckoTokens
    const skew = this.config.kind === "oauth" ? this.config.refreshSkewMs : 0
    if (tokens.expiresAt - skew <= Date.now()) return (await this.refresh()).accessToken
    return tokens.accessToken
  }

  /**
   * Refreshes once for everybody. Pass the access token a request was rejected with: if
   * the tokens were already rotated since, the current ones are returned without a call.
   */
  refresh(rejectedAccessToken?: string): Promise<TradegeckoTokens> {
    if (this.config.kind !== "oauth") {
      return Promise.reject(new Error("A privileged access token cannot be refreshed"))
    }
    if (this.inflight) return this.inflight
    const tokens = this.tokens as TradegeckoTokens
    if (rejectedAccessToken !== undefined && rejectedAccessToken !== tokens.accessToken) {
      return Promise.resolve({ ...tokens })
    }
    if (this.fatal) return Promise.reject(this.fatal)
    const config = this.config
    const run = async (): Promise<TradegeckoTokens> => {
      try {
        const refresh = (refreshToken: string) => refreshAccessToken({ ...config.endpoint, refreshToken })
        const next = config.refreshCoordinator
          ? await config.refreshCoordinator(refresh, { ...tokens })
          : await refresh(tokens.refreshToken)
        this.tokens = next
        config.onRefreshed?.()
        config.logger.info("TradeGecko access token refreshed")
        if (config.onTokens) {
          try {
            await config.onTokens({ ...next })
          } catch (err) {
            // The new pair is in memory and will be offered again on the next refresh;
            // failing the API call would not bring the persisted copy back either.
            config.logger.error(
              `TradeGecko onTokens callback failed; the rotated refresh token is NOT persisted: ${String(err)}`
            )
          }
        }
        return { ...next }
      } catch (err) {
        if (err instanceof TradegeckoUnauthorizedError) this.fatal = err
        throw err
      }
    }
    const promise = run().finally(() => {
      if (this.inflight === promise) this.inflight = undefined
    })
    this.inflight = promise
    return promise
  }
}
