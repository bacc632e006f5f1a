import { MedusaService } from "@medusajs/framework/utils"
import TradegeckoCustomerCache from "./models/customer-cache"
import TradegeckoJobTick from "./models/job-tick"
import TradegeckoOrderPushState from "./models/order-push-state"
import TradegeckoOrderStatusChange from "./models/order-status-change"
import TradegeckoProductLink from "./models/product-id-map"
import TradegeckoSettings from "./models/settings"
import TradegeckoSyncRun from "./models/sync-run"
import TradegeckoSyncRunItem from "./models/sync-run-item"
import TradegeckoVariantLink from "./models/variant-id-map"
import TradegeckoWebhookDelivery from "./models/webhook-delivery"
import TradegeckoRateWindow from "./models/rate-window"
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
import { parseOptions, SettingsUpdateSchema, type SettingsUpdate, type TradegeckoOptions } from "./options"

/** A credential saved from the admin settings page (OAuth pair or pasted privileged token). */
type StoredConnection =
  | { type: "privileged_token"; token: string; connectedAt: Date | null }
  | { type: "oauth"; tokens: TradegeckoTokens; connectedAt: Date | null }

/** How long an OAuth `state` (and so the consent screen) stays valid. */
const OAUTH_STATE_TTL_MS = 10 * 60_000

function invalidData(message: string): Error {
  const err = new Error(message)
  ;(err as Error & { type?: string }).type = "invalid_data"
  return err
}

/** How long other processes may keep using settings saved elsewhere. */
const SETTINGS_TTL_MS = 5_000

/** Settings columns ↔ option names. */
const SETTING_COLUMNS = {
  syncFromTag: "sync_from_tag",
  defaultPriceList: "default_price_list",
  priceLists: "price_lists",
  salesChannelId: "sales_channel_id",
  defaultStockLocationId: "default_stock_location_id",
  locationMap: "location_map",
  checkoutFreshnessSeconds: "checkout_freshness_seconds",
  orderSyncLevel: "order_sync_level",
  checkoutWhenUnreachable: "checkout_when_unreachable",
  orderSyncFrom: "order_sync_from",
  autoFinalizeOrders: "auto_finalize_orders",
  autoFinalizePriceThreshold: "auto_finalize_price_threshold",
} as const

/**
 * The TradeGecko module: holds the validated plugin options and the link state
 * (sync runs, later id mappings) in Postgres. Routes, jobs and subscribers read
 * options through `getOptions()` because Medusa does not hand plugin options to them.
 */
class TradegeckoModuleService extends MedusaService({
  TradegeckoSyncRun,
  TradegeckoSyncRunItem,
  TradegeckoProductLink,
  TradegeckoVariantLink,
  TradegeckoSettings,
  TradegeckoWebhookDelivery,
  // Keys keep their first names: they name the generated methods (listTradegeckoOrderLinks...).
  TradegeckoOrderLink: TradegeckoOrderPushState,
  TradegeckoCustomerLink: TradegeckoCustomerCache,
  TradegeckoJobTick,
  TradegeckoOrderStatusChange,
  TradegeckoRateWindow,
}) {
  protected readonly options_: TradegeckoOptions

  /** Medusa's shared Postgres connection (knex), for the cross-process OAuth refresh lock. */
  private readonly pg_: any

  constructor(container: Record<string, unknown>, options: unknown) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = parseOptions(options)
    let pg: unknown = null
    try {
      pg = container.__pg_connection__ ?? null
    } catch {
      pg = null // not registered (e.g. module tests without a shared connection)
    }
    this.pg_ = pg
    // One rate-limit budget per TradeGecko account for every process: in Redis when the
    // plugin has a redisUrl, else in Postgres, else (no shared connection: module tests)
    // for this process's clients only.
    this.rateBudget_ = this.options_.redisUrl
      ? redisRateBudgetStore(this.options_.redisUrl)
      : (pg as any)?.raw ? new PostgresRateBudgetStore(pg as any) : new MemoryRateBudgetStore()
  }

  private readonly rateBudget_: RateBudgetStore

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
        "select oauth_access_token, oauth_refresh_token, oauth_expires_at from tradegecko_settings where deleted_at is null and connection_type = 'oauth' limit 1"
      )
      const row = rows[0]
      const storedExpiry = row?.oauth_expires_at ? new Date(row.oauth_expires_at).getTime() : 0
      if (row?.oauth_refresh_token && row.oauth_refresh_token !== current.refreshToken && storedExpiry > Date.now() + 60_000) {
        return { accessToken: row.oauth_access_token, refreshToken: row.oauth_refresh_token, expiresAt: storedExpiry }
      }
      const next = await refresh(current.refreshToken)
      await trx.raw(
        "update tradegecko_settings set oauth_access_token = ?, oauth_refresh_token = ?, oauth_expires_at = ?, updated_at = now() where deleted_at is null and connection_type = 'oauth'",
        [next.accessToken, next.refreshToken, new Date(next.expiresAt)]
      )
      return next
    })
  }

  getOptions(): TradegeckoOptions {
    return this.options_
  }

  /**
   * The options in force: plugin options, overridden by what the merchant saved on the
   * admin settings page. Read this (not getOptions) wherever a setting can change.
   */
  async getSettings(): Promise<TradegeckoOptions> {
    // Cached briefly: the checkout guard reads it on every completion.
    if (this.settings_ && Date.now() - this.settings_.at < SETTINGS_TTL_MS) return this.settings_.value
    const value = await this.loadSettings()
    this.settings_ = { value, at: Date.now() }
    return value
  }

  private settings_: { value: TradegeckoOptions; at: number } | null = null

  private async loadSettings(): Promise<TradegeckoOptions> {
    const [row] = await this.listTradegeckoSettings({}, { take: 1 })
    // The same row holds the admin-made connection: pick up a connect/disconnect made in another process.
    this.applyStoredConnection(row ?? null)
    if (!row) return this.options_
    const merged: Record<string, unknown> = { ...this.options_ }
    for (const [option, column] of Object.entries(SETTING_COLUMNS)) {
      const value = (row as Record<string, unknown>)[column]
      if (value !== null && value !== undefined) merged[option] = value
    }
    return merged as TradegeckoOptions
  }

  /** Validates and stores setting overrides; throws a 400-style error naming bad fields. */
  async saveSettings(update: unknown): Promise<TradegeckoOptions> {
    const parsed = SettingsUpdateSchema.safeParse(update)
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(settings)"}: ${i.message}`)
      const err = new Error(`Invalid TradeGecko settings: ${problems.join("; ")}`)
      ;(err as Error & { type?: string }).type = "invalid_data"
      throw err
    }
    const data: Record<string, unknown> = {}
    for (const [option, value] of Object.entries(parsed.data as SettingsUpdate)) {
      data[SETTING_COLUMNS[option as keyof typeof SETTING_COLUMNS]] = value
    }
    const [row] = await this.listTradegeckoSettings({}, { take: 1 })
    // Medusa merges a JSON column on update: clear the maps first so the saved map replaces the old one.
    const maps = Object.keys(data).filter((k) => data[k] !== null && typeof data[k] === "object")
    if (row && maps.length) await this.updateTradegeckoSettings({ id: row.id, ...Object.fromEntries(maps.map((k) => [k, null])) })
    if (row) await this.updateTradegeckoSettings({ id: row.id, ...data })
    else await this.createTradegeckoSettings(data)
    this.settings_ = null
    return this.getSettings()
  }

  /** The overrides saved on the settings page (option name → value); options not overridden are absent. */
  async getSettingOverrides(): Promise<Partial<TradegeckoOptions>> {
    const [row] = await this.listTradegeckoSettings({}, { take: 1 })
    const out: Record<string, unknown> = {}
    for (const [option, column] of Object.entries(SETTING_COLUMNS)) {
      const value = (row as Record<string, unknown> | undefined)?.[column]
      if (value !== null && value !== undefined) out[option] = value
    }
    return out as Partial<TradegeckoOptions>
  }

  private account_: { value: Account; at: number } | null = null

  /** TradeGecko's /accounts/current, cached for 10 minutes (defaults rarely change). */
  async getAccount(): Promise<Account> {
    if (this.account_ && Date.now() - this.account_.at < 10 * 60_000) return this.account_.value
    const value = await this.getClient().accounts.current()
    this.account_ = { value, at: Date.now() }
    return value
  }

  /**
   * The TradeGecko price list whose prices are the store's prices: the `defaultPriceList`
   * setting, else the account's default order price list, else "retail".
   */
  async getPriceListId(): Promise<string> {
    const { defaultPriceList } = await this.getSettings()
    return defaultPriceList ?? String((await this.getAccount()).default_order_price_list_id ?? "retail")
  }

  private priceLists_: { value: Array<{ id: string; currency: string | null; name: string | null }>; at: number } | null = null

  /** TradeGecko's price lists with their own currency, cached for 10 minutes. */
  async listPriceLists(): Promise<Array<{ id: string; currency: string | null; name: string | null }>> {
    if (this.priceLists_ && Date.now() - this.priceLists_.at < 10 * 60_000) return this.priceLists_.value
    const lists = await this.getClient().priceLists.all()
    const value = lists.map((l) => ({ id: String(l.id), currency: l.currency_iso ? l.currency_iso.toLowerCase() : null, name: l.name ?? null }))
    this.priceLists_ = { value, at: Date.now() }
    return value
  }

  /**
   * The TradeGecko price lists the catalog writes as Medusa prices, each with its own
   * currency in TradeGecko (null: the list does not exist there) and, with the
   * `priceLists` option, the store currency the merchant mapped it to.
   */
  async getCatalogPriceLists(): Promise<Array<{ priceListId: string; currencyCode: string | null; mappedTo: string | null }>> {
    const { priceLists } = await this.getSettings()
    const lists = await this.listPriceLists()
    const currencyOf = (id: string) => lists.find((l) => l.id === id)?.currency ?? null
    if (priceLists && Object.keys(priceLists).length) {
      return Object.entries(priceLists).map(([currency, id]) => ({ priceListId: String(id), currencyCode: currencyOf(String(id)), mappedTo: currency.toLowerCase() }))
    }
    const id = await this.getPriceListId()
    return [{ priceListId: id, currencyCode: currencyOf(id), mappedTo: null }]
  }

  private client_: TradegeckoClient | null = null
  private checkoutClient_: TradegeckoClient | null = null

  /**
   * A client for calls a shopper waits on (checkout): short timeout, one retry, so an
   * unreachable TradeGecko answers in seconds rather than minutes. It may use the share of
   * the rate-limit window that background calls leave (`rateLimitCheckoutShare`), and never
   * waits for the window: when it is used up the call fails at once (TradegeckoRateLimitedError)
   * and the checkout applies `checkoutWhenUnreachable`.
   */
  getCheckoutClient(): TradegeckoClient {
    if (!this.checkoutClient_) {
      this.checkoutClient_ = this.makeClient({ timeoutMs: 5_000, maxRetries: 1, retryBaseDelayMs: 200, failFastOnRateLimit: true })
    }
    return this.checkoutClient_
  }

  /**
   * Credential precedence: the privilegedToken option, then what was connected on the
   * admin settings page (a pasted privileged token, or OAuth tokens, refreshed and
   * saved by the client as they rotate).
   */
  private makeClient(overrides: Record<string, unknown> = {}): TradegeckoClient {
    const { baseUrl, privilegedToken, clientId, clientSecret, rateLimitCheckoutShare } = this.options_
    const stored = this.connection_
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
        onTokens: (tokens: TradegeckoTokens) => this.saveRotatedTokens(tokens, overrides.failFastOnRateLimit ? "checkout" : "main"),
        refreshCoordinator: this.refreshCoordinator,
        ...extra,
      })
    }
    throw new Error(
      "medusa-plugin-tradegecko: not connected to TradeGecko (set the privilegedToken option, or connect on the admin's TradeGecko settings page)"
    )
  }

  // ---------------------------------------------------------------------------
  // Connection made from the admin (settings page)

  /** undefined: not read from the database yet. */
  private connection_: StoredConnection | null | undefined = undefined
  private connectionKey_: string | undefined = undefined

  /** Medusa calls this once the app is up: read a saved connection before the first TradeGecko call. */
  __hooks = {
    onApplicationStart: async () => {
      await this.getSettings()
    },
  }

  private applyStoredConnection(row: Record<string, any> | null) {
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
    if (key === this.connectionKey_) return
    const previous = this.connection_
    this.connectionKey_ = key
    this.connection_ = next
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
    await this.upsertSettingsRow({
      oauth_access_token: tokens.accessToken,
      oauth_refresh_token: tokens.refreshToken,
      oauth_expires_at: new Date(tokens.expiresAt),
    })
    // Same shape as a row read back (applyStoredConnection), so re-reading it changes nothing.
    const saved = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: new Date(tokens.expiresAt).getTime() }
    const next: StoredConnection = { type: "oauth", tokens: saved, connectedAt: this.connection_?.connectedAt ?? null }
    this.connection_ = next
    this.connectionKey_ = JSON.stringify(next)
    // The other client of this process holds the old (now revoked) pair: give it the new one.
    this.adoptTokens(saved, owner === "checkout" ? this.checkoutClient_ ?? undefined : this.client_ ?? undefined)
  }

  private async upsertSettingsRow(data: Record<string, unknown>) {
    const [row] = await this.listTradegeckoSettings({}, { take: 1 })
    // Medusa merges a JSON column on update: clear the maps first so the saved map replaces the old one.
    const maps = Object.keys(data).filter((k) => data[k] !== null && typeof data[k] === "object")
    if (row && maps.length) await this.updateTradegeckoSettings({ id: row.id, ...Object.fromEntries(maps.map((k) => [k, null])) })
    if (row) await this.updateTradegeckoSettings({ id: row.id, ...data })
    else await this.createTradegeckoSettings(data)
    this.settings_ = null
  }

  private async saveConnection(connection: StoredConnection | null) {
    await this.upsertSettingsRow({
      connection_type: connection?.type ?? null,
      privileged_token: connection?.type === "privileged_token" ? connection.token : null,
      oauth_access_token: connection?.type === "oauth" ? connection.tokens.accessToken : null,
      oauth_refresh_token: connection?.type === "oauth" ? connection.tokens.refreshToken : null,
      oauth_expires_at: connection?.type === "oauth" ? new Date(connection.tokens.expiresAt) : null,
      connected_at: connection ? new Date() : null,
    })
    await this.getSettings() // re-reads the row and rebuilds the clients
  }

  /**
   * What the settings page shows about the connection. Never includes a credential.
   * `account` is read from TradeGecko (cached); `account_error` says in words why not.
   */
  async getConnection() {
    await this.getSettings()
    const { baseUrl, privilegedToken, clientId, clientSecret } = this.options_
    const stored = this.connection_ ?? null
    const credentialType = privilegedToken ? "privileged_token" : stored?.type ?? null
    let account: { id: number; name: string | null } | null = null
    let accountError: string | null = null
    if (credentialType) {
      try {
        const a = await this.getAccount()
        account = { id: a.id, name: (a.name as string | null | undefined) ?? null }
      } catch (e) {
        accountError = e instanceof TradegeckoUnauthorizedError
          ? "TradeGecko refused the credential: connect again"
          : `TradeGecko did not answer: ${(e as Error).message}`
      }
    }
    return {
      base_url: baseUrl,
      connected: credentialType !== null && accountError === null,
      credential_type: credentialType,
      /** options: from medusa-config (cannot be disconnected here); admin: connected on the settings page. */
      source: privilegedToken ? "options" : stored ? "admin" : null,
      oauth_available: Boolean(clientId && clientSecret),
      connected_at: privilegedToken ? null : stored?.connectedAt ?? null,
      token_expires_at: !privilegedToken && stored?.type === "oauth" ? new Date(stored.tokens.expiresAt) : null,
      account,
      account_error: accountError,
    }
  }

  /** Saves a privileged token pasted on the settings page, after TradeGecko accepted it. */
  async connectWithPrivilegedToken(token: string) {
    const probe = new TradegeckoClient({ baseUrl: this.options_.baseUrl, auth: { type: "privileged", accessToken: token }, maxRetries: 1, timeoutMs: 10_000 })
    try {
      await probe.accounts.current()
    } catch (e) {
      if (e instanceof TradegeckoUnauthorizedError) throw invalidData("TradeGecko refused this token")
      throw e
    } finally {
      await probe.close().catch(() => undefined)
    }
    await this.saveConnection({ type: "privileged_token", token, connectedAt: null })
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
  async completeOAuth(input: { code: string; state: string; redirectUri: string }) {
    const { clientId, clientSecret, baseUrl } = this.oauthApp()
    const parts = input.state.split(".")
    if (parts.length !== 3) throw invalidData("Invalid OAuth state")
    const [expires, nonce, signature] = parts
    const expected = Buffer.from(this.signState(`${expires}.${nonce}.${input.redirectUri}`))
    const given = Buffer.from(signature)
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalidData("Invalid OAuth state")
    if (Number(expires) < Date.now()) throw invalidData("The TradeGecko authorization took too long: connect again")
    const tokens = await exchangeAuthorizationCode({ baseUrl, clientId, clientSecret, redirectUri: input.redirectUri, code: input.code })
    await this.saveConnection({ type: "oauth", tokens, connectedAt: null })
  }

  /** Forgets the connection made on the settings page (the plugin options are untouched). */
  async disconnect() {
    await this.saveConnection(null)
  }

  /**
   * The TradeGecko client for this store (one per process, so its rate-limit pacing
   * is shared by every caller). Throws a clear error when no credential is configured.
   */
  getClient(): TradegeckoClient {
    if (!this.client_) this.client_ = this.makeClient()
    return this.client_
  }

  /** The most recent sync run, optionally of one kind. */
  async getLatestSyncRun(kind?: string) {
    const [run] = await this.listTradegeckoSyncRuns(kind ? { kind: kind as never } : {}, {
      order: { started_at: "DESC" },
      take: 1,
    })
    return run ?? null
  }
}

export default TradegeckoModuleService
