import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import {
  TradegeckoClient,
  TradegeckoUnauthorizedError,
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  MemoryRateBudgetStore,
  type Account,
  type RateBudgetStore,
  type RefreshCoordinator,
  type TradegeckoTokens,
} from "./client"
import { PostgresRateBudgetStore } from "./rate-budget"
import { redisRateBudgetStore } from "./rate-budget-redis"
import type { TradegeckoOptions } from "./options"

/**
 * The store's connection to TradeGecko: which credential is used (plugin options, else the
 * one connected on the admin settings page), the OAuth consent and its signed `state`, the
 * saved tokens and their refresh across processes, the clients built from them and the
 * account they reach. The module service holds one and delegates to it.
 */

/** A row of tradegecko_connection_token (models/connection-token.ts). */
export interface ConnectionTokenRow {
  connection_type: string | null
  privileged_token: string | null
  oauth_access_token: string | null
  oauth_refresh_token: string | null
  oauth_expires_at: Date | string | null
  connected_at: Date | string | null
}

/** Where the connection keeps its credential: the module's one token row. */
export interface ConnectionTokenStore {
  read(): Promise<ConnectionTokenRow | null>
  write(data: Partial<ConnectionTokenRow>): Promise<void>
}

/** A credential saved from the admin settings page (OAuth pair or pasted privileged token). */
type StoredConnection =
  | { type: "privileged_token"; token: string; connectedAt: Date | string | null }
  | { type: "oauth"; tokens: TradegeckoTokens; connectedAt: Date | string | null }

/** How long an OAuth `state` (and so the consent screen) stays valid. */
const OAUTH_STATE_TTL_MS = 10 * 60_000

/** How long TradeGecko's /accounts/current is kept. */
const ACCOUNT_TTL_MS = 10 * 60_000

export function invalidData(message: string): Error {
  const err = new Error(message)
  ;(err as Error & { type?: string }).type = "invalid_data"
  return err
}

/** What the settings page shows about the connection (never a credential). */
export interface ConnectionDescription {
  base_url: string
  connected: boolean
  credential_type: "privileged_token" | "oauth" | null
  /** options: from medusa-config (cannot be disconnected here); admin: connected on the settings page. */
  source: "options" | "admin" | null
  oauth_available: boolean
  connected_at: Date | string | null
  token_expires_at: Date | null
  account: { id: number; name: string | null } | null
  account_error: string | null
}

export class TradegeckoConnection {
  private readonly rateBudget_: RateBudgetStore

  /** undefined: not read from the database yet. */
  private stored_: StoredConnection | null | undefined = undefined
  private storedKey_: string | undefined = undefined
  private client_: TradegeckoClient | null = null
  private checkoutClient_: TradegeckoClient | null = null
  private account_: { value: Account; at: number } | null = null

  /**
   * @param pg Medusa's shared Postgres connection (knex), for the cross-process OAuth refresh
   *   lock and the rate-limit budget; null in module tests without a shared connection.
   */
  constructor(
    private readonly options_: TradegeckoOptions,
    private readonly pg_: any,
    private readonly store_: ConnectionTokenStore
  ) {
    // One rate-limit budget per TradeGecko account for every process: in Redis when the
    // plugin has a redisUrl, else in Postgres, else (no shared connection: module tests)
    // for this process's clients only.
    this.rateBudget_ = options_.redisUrl
      ? redisRateBudgetStore(options_.redisUrl)
      : pg_?.raw
        ? new PostgresRateBudgetStore(pg_)
        : new MemoryRateBudgetStore()
  }

  /**
   * OAuth refresh, once across every server and worker process: under a Postgres advisory
   * lock, re-read the stored pair; if another process already rotated it, use that pair
   * instead of spending our (now revoked) refresh token; else refresh and store the new
   * pair before the lock is released.
   */
  private readonly refreshCoordinator: RefreshCoordinator = async (refresh, current) => {
    if (!this.pg_?.transaction) return refresh(current.refreshToken)
    return this.pg_.transaction(async (trx: any) => {
      await trx.raw("select pg_advisory_xact_lock(hashtext(?))", ["medusa-plugin-tradegecko:oauth-refresh"])
      const { rows } = await trx.raw(
        "select oauth_access_token, oauth_refresh_token, oauth_expires_at from tradegecko_connection_token where deleted_at is null and connection_type = 'oauth' limit 1"
      )
      const row = rows[0]
      const storedExpiry = row?.oauth_expires_at ? new Date(row.oauth_expires_at).getTime() : 0
      if (
        row?.oauth_refresh_token &&
        row.oauth_refresh_token !== current.refreshToken &&
        storedExpiry > Date.now() + 60_000
      ) {
        return { accessToken: row.oauth_access_token, refreshToken: row.oauth_refresh_token, expiresAt: storedExpiry }
      }
      const next = await refresh(current.refreshToken)
      await trx.raw(
        "update tradegecko_connection_token set oauth_access_token = ?, oauth_refresh_token = ?, oauth_expires_at = ?, updated_at = now() where deleted_at is null and connection_type = 'oauth'",
        [next.accessToken, next.refreshToken, new Date(next.expiresAt)]
      )
      return next
    })
  }

  /** Re-reads the saved credential: picks up a connect, disconnect or refresh made in another process. */
  async reload(): Promise<void> {
    this.apply(await this.store_.read())
  }

  private apply(row: ConnectionTokenRow | null) {
    let next: StoredConnection | null = null
    if (row?.connection_type === "privileged_token" && row.privileged_token) {
      next = { type: "privileged_token", token: row.privileged_token, connectedAt: row.connected_at ?? null }
    } else if (row?.connection_type === "oauth" && row.oauth_access_token && row.oauth_refresh_token) {
      next = {
        type: "oauth",
        tokens: {
          accessToken: row.oauth_access_token,
          refreshToken: row.oauth_refresh_token,
          expiresAt: new Date(row.oauth_expires_at ?? 0).getTime(),
        },
        connectedAt: row.connected_at ?? null,
      }
    }
    const key = JSON.stringify(next)
    if (key === this.storedKey_) return
    const previous = this.stored_
    this.storedKey_ = key
    this.stored_ = next
    if (previous?.type === "oauth" && next?.type === "oauth") {
      // Only the tokens rotated (another process refreshed, or this one did and saved):
      // hand them to the clients in place. Replacing the clients would break every call
      // in progress that holds them (a catalog run, an order push).
      this.adoptTokens(next.tokens)
      return
    }
    this.resetClients()
  }

  /** Gives a rotated pair to this process's clients, unless one of them already holds a newer pair. */
  private adoptTokens(tokens: TradegeckoTokens, except?: TradegeckoClient) {
    for (const client of [this.client_, this.checkoutClient_]) {
      if (!client || client === except) continue
      const held = client.getTokens()
      if (held && (held.refreshToken === tokens.refreshToken || held.expiresAt > tokens.expiresAt)) continue
      client.setTokens(tokens)
    }
  }

  private resetClients() {
    void this.client_?.close().catch(() => undefined)
    void this.checkoutClient_?.close().catch(() => undefined)
    this.client_ = null
    this.checkoutClient_ = null
    this.account_ = null
  }

  /** onTokens: the refresh token rotated; it must be saved before the new pair is used. */
  private async saveRotatedTokens(tokens: TradegeckoTokens, owner: "main" | "checkout") {
    await this.store_.write({
      oauth_access_token: tokens.accessToken,
      oauth_refresh_token: tokens.refreshToken,
      oauth_expires_at: new Date(tokens.expiresAt),
    })
    // Same shape as a row read back (apply), so re-reading it changes nothing.
    const saved = {
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      expiresAt: new Date(tokens.expiresAt).getTime(),
    }
    const next: StoredConnection = { type: "oauth", tokens: saved, connectedAt: this.stored_?.connectedAt ?? null }
    this.stored_ = next
    this.storedKey_ = JSON.stringify(next)
    // The other client of this process holds the old (now revoked) pair: give it the new one.
    this.adoptTokens(saved, owner === "checkout" ? (this.checkoutClient_ ?? undefined) : (this.client_ ?? undefined))
  }

  private async save(connection: StoredConnection | null) {
    await this.store_.write({
      connection_type: connection?.type ?? null,
      privileged_token: connection?.type === "privileged_token" ? connection.token : null,
      oauth_access_token: connection?.type === "oauth" ? connection.tokens.accessToken : null,
      oauth_refresh_token: connection?.type === "oauth" ? connection.tokens.refreshToken : null,
      oauth_expires_at: connection?.type === "oauth" ? new Date(connection.tokens.expiresAt) : null,
      connected_at: connection ? new Date() : null,
    })
    await this.reload() // rebuilds the clients
  }

  /**
   * Credential precedence: the privilegedToken option, then what was connected on the
   * admin settings page (a pasted privileged token, or OAuth tokens, refreshed and
   * saved by the client as they rotate).
   */
  private makeClient(overrides: Record<string, unknown> = {}): TradegeckoClient {
    const { baseUrl, privilegedToken, clientId, clientSecret, rateLimitCheckoutShare } = this.options_
    const stored = this.stored_
    // TradeGecko counts per application × account: every client (and process) of this
    // credential takes from the same budget.
    const identity = privilegedToken ?? (stored?.type === "privileged_token" ? stored.token : `oauth:${clientId}`)
    const extra = {
      timeoutMs: this.options_.requestTimeoutSeconds * 1000,
      rateBudget: this.rateBudget_,
      rateBudgetKey: `tg-${createHash("sha256").update(`${baseUrl}|${identity}`).digest("hex").slice(0, 24)}`,
      rateLimitCheckoutShare,
      ...overrides,
    }
    if (privilegedToken) {
      return new TradegeckoClient({ baseUrl, auth: { type: "privileged", accessToken: privilegedToken }, ...extra })
    }
    if (stored?.type === "privileged_token") {
      return new TradegeckoClient({ baseUrl, auth: { type: "privileged", accessToken: stored.token }, ...extra })
    }
    if (stored?.type === "oauth" && clientId && clientSecret) {
      return new TradegeckoClient({
        baseUrl,
        auth: { type: "oauth", clientId, clientSecret, tokens: stored.tokens },
        onTokens: (tokens: TradegeckoTokens) =>
          this.saveRotatedTokens(tokens, overrides.failFastOnRateLimit ? "checkout" : "main"),
        refreshCoordinator: this.refreshCoordinator,
        ...extra,
      })
    }
    throw new Error(
      "medusa-plugin-tradegecko: not connected to TradeGecko (set the privilegedToken option, or connect on the admin's TradeGecko settings page)"
    )
  }

  /**
   * The TradeGecko client for this store (one per process, so its rate-limit pacing
   * is shared by every caller). Throws a clear error when no credential is configured.
   */
  getClient(): TradegeckoClient {
    if (!this.client_) this.client_ = this.makeClient()
    return this.client_
  }

  /**
   * A client for calls a shopper waits on (checkout): short timeout, one retry, so an
   * unreachable TradeGecko answers in seconds rather than minutes. It may use the share of
   * the rate-limit window that background calls leave (`rateLimitCheckoutShare`), and never
   * waits for the window: when it is used up the call fails at once (TradegeckoRateLimitedError)
   * and the checkout applies `checkoutWhenUnreachable`.
   */
  getCheckoutClient(): TradegeckoClient {
    if (!this.checkoutClient_) {
      this.checkoutClient_ = this.makeClient({
        timeoutMs: 5_000,
        maxRetries: 1,
        retryBaseDelayMs: 200,
        failFastOnRateLimit: true,
      })
    }
    return this.checkoutClient_
  }

  /** TradeGecko's /accounts/current, cached for 10 minutes (defaults rarely change). */
  async getAccount(): Promise<Account> {
    if (this.account_ && Date.now() - this.account_.at < ACCOUNT_TTL_MS) return this.account_.value
    const value = await this.getClient().accounts.current()
    this.account_ = { value, at: Date.now() }
    return value
  }

  /**
   * What the settings page shows about the connection, as last read (see reload). Never
   * includes a credential. `account` is read from TradeGecko (cached); `account_error` says
   * in words why not.
   */
  async describe(): Promise<ConnectionDescription> {
    const { baseUrl, privilegedToken, clientId, clientSecret } = this.options_
    const stored = this.stored_ ?? null
    const credentialType = privilegedToken ? "privileged_token" : (stored?.type ?? null)
    let account: { id: number; name: string | null } | null = null
    let accountError: string | null = null
    if (credentialType) {
      try {
        const a = await this.getAccount()
        account = { id: a.id, name: (a.name as string | null | undefined) ?? null }
      } catch (e) {
        accountError =
          e instanceof TradegeckoUnauthorizedError
            ? "TradeGecko refused the credential: connect again"
            : `TradeGecko did not answer: ${(e as Error).message}`
      }
    }
    return {
      base_url: baseUrl,
      connected: credentialType !== null && accountError === null,
      credential_type: credentialType,
      source: privilegedToken ? "options" : stored ? "admin" : null,
      oauth_available: Boolean(clientId && clientSecret),
      connected_at: privilegedToken ? null : (stored?.connectedAt ?? null),
      token_expires_at: !privilegedToken && stored?.type === "oauth" ? new Date(stored.tokens.expiresAt) : null,
      account,
      account_error: accountError,
    }
  }

  /** Saves a privileged token pasted on the settings page, after TradeGecko accepted it. */
  async connectWithPrivilegedToken(token: string): Promise<void> {
    const probe = new TradegeckoClient({
      baseUrl: this.options_.baseUrl,
      auth: { type: "privileged", accessToken: token },
      maxRetries: 1,
      timeoutMs: 10_000,
    })
    try {
      await probe.accounts.current()
    } catch (e) {
      if (e instanceof TradegeckoUnauthorizedError) throw invalidData("TradeGecko refused this token")
      throw e
    } finally {
      await probe.close().catch(() => undefined)
    }
    await this.save({ type: "privileged_token", token, connectedAt: null })
  }

  private oauthApp() {
    const { clientId, clientSecret, baseUrl } = this.options_
    if (!clientId || !clientSecret) {
      throw invalidData("OAuth needs the clientId and clientSecret plugin options")
    }
    return { clientId, clientSecret, baseUrl }
  }

  /** A signed, expiring `state` bound to the redirect URI (no server-side storage needed). */
  private signState(payload: string) {
    return createHmac("sha256", this.oauthApp().clientSecret).update(`oauth-state:${payload}`).digest("base64url")
  }

  /** The TradeGecko consent-screen URL to send the merchant to. */
  oauthAuthorizeUrl(redirectUri: string): string {
    const { clientId, baseUrl } = this.oauthApp()
    const payload = `${Date.now() + OAUTH_STATE_TTL_MS}.${randomBytes(12).toString("base64url")}`
    const state = `${payload}.${this.signState(`${payload}.${redirectUri}`)}`
    return buildAuthorizeUrl({ baseUrl, clientId, redirectUri, state })
  }

  /** The redirect came back: check `state`, exchange the code, save the tokens. */
  async completeOAuth(input: { code: string; state: string; redirectUri: string }): Promise<void> {
    const { clientId, clientSecret, baseUrl } = this.oauthApp()
    const parts = input.state.split(".")
    if (parts.length !== 3) throw invalidData("Invalid OAuth state")
    const [expires, nonce, signature] = parts
    const expected = Buffer.from(this.signState(`${expires}.${nonce}.${input.redirectUri}`))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidData("Invalid OAuth state")
    if (Number(expires) < Date.now()) throw invalidData("The TradeGecko authorization took too long: connect again")
    const tokens = await exchangeAuthorizationCode({
      baseUrl,
      clientId,
      clientSecret,
      redirectUri: input.redirectUri,
      code: input.code,
    })
    await this.save({ type: "oauth", tokens, connectedAt: null })
  }

  /** Forgets the connection made on the settings page (the plugin options are untouched). */
  async disconnect(): Promise<void> {
    await this.save(null)
  }
}
