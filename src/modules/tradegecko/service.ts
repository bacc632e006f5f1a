import { MedusaService } from "@medusajs/framework/utils"
import TradegeckoCustomerLink from "./models/customer-link"
import TradegeckoOrderLink from "./models/order-link"
import TradegeckoProductLink from "./models/product-link"
import TradegeckoSettings from "./models/settings"
import TradegeckoSyncRun from "./models/sync-run"
import TradegeckoSyncRunItem from "./models/sync-run-item"
import TradegeckoVariantLink from "./models/variant-link"
import TradegeckoWebhookDelivery from "./models/webhook-delivery"
import { TradegeckoClient, type Account } from "./client"
import { parseOptions, SettingsUpdateSchema, type SettingsUpdate, type TradegeckoOptions } from "./options"

/** How long other processes may keep using settings saved elsewhere. */
const SETTINGS_TTL_MS = 5_000

/** Settings columns ↔ option names. */
const SETTING_COLUMNS = {
  syncFromTag: "sync_from_tag",
  defaultPriceList: "default_price_list",
  defaultStockLocationId: "default_stock_location_id",
  locationMap: "location_map",
  checkoutFreshnessSeconds: "checkout_freshness_seconds",
  orderSyncLevel: "order_sync_level",
  checkoutWhenUnreachable: "checkout_when_unreachable",
  orderSyncFrom: "order_sync_from",
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
  TradegeckoOrderLink,
  TradegeckoCustomerLink,
}) {
  protected readonly options_: TradegeckoOptions

  constructor(_container: Record<string, unknown>, options: unknown) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = parseOptions(options)
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
    if (row) await this.updateTradegeckoSettings({ id: row.id, ...data })
    else await this.createTradegeckoSettings(data)
    this.settings_ = null
    return this.getSettings()
  }

  private account_: { value: Account; at: number } | null = null

  /** TradeGecko's /accounts/current, cached for 10 minutes (defaults rarely change). */
  async getAccount(): Promise<Account> {
    if (this.account_ && Date.now() - this.account_.at < 10 * 60_000) return this.account_.value
    const value = await this.getClient().accounts.current()
    this.account_ = { value, at: Date.now() }
    return value
  }

  private client_: TradegeckoClient | null = null
  private checkoutClient_: TradegeckoClient | null = null

  /**
   * A client for calls a shopper waits on (checkout): short timeout, one retry, so an
   * unreachable TradeGecko answers in seconds rather than minutes.
   */
  getCheckoutClient(): TradegeckoClient {
    if (!this.checkoutClient_) {
      this.checkoutClient_ = this.makeClient({ timeoutMs: 5_000, maxRetries: 1, retryBaseDelayMs: 200 })
    }
    return this.checkoutClient_
  }

  private makeClient(extra: Record<string, unknown> = {}): TradegeckoClient {
    const { baseUrl, privilegedToken } = this.options_
    if (!privilegedToken) {
      throw new Error("medusa-plugin-tradegecko: no TradeGecko credential configured (set the privilegedToken option)")
    }
    const timeoutMs = this.options_.requestTimeoutSeconds * 1000
    return new TradegeckoClient({ baseUrl, auth: { type: "privileged", accessToken: privilegedToken }, timeoutMs, ...extra })
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
