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
import TradegeckoConnectionToken from "./models/connection-token"
import type { Account, TradegeckoClient } from "./client"
import { TradegeckoConnection, type ConnectionDescription, type ConnectionTokenRow } from "./connection"
import { parseOptions, parseSettingsUpdate, SETTING_COLUMNS, type TradegeckoOptions } from "./options"

/** How long other processes may keep using settings saved elsewhere. */
const SETTINGS_TTL_MS = 5_000

/**
 * The TradeGecko module: the validated plugin options, the merchant's overrides of them
 * (getSettings), the price lists in force, and the plugin's state in Postgres (id maps, sync
 * runs, order-push state, webhook deliveries...) through the generated CRUD methods. The
 * connection to TradeGecko (credential, tokens, clients) is `connection` (connection.ts); the
 * service keeps one-line delegations to it. Routes, jobs and subscribers read options
 * through `getOptions()` because Medusa does not hand plugin options to them.
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
  TradegeckoConnectionToken,
}) {
  protected readonly options_: TradegeckoOptions

  /** The connection to TradeGecko: credential, tokens, clients, account (connection.ts). */
  readonly connection: TradegeckoConnection

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
    this.connection = new TradegeckoConnection(this.options_, pg, {
      read: async () =>
        ((await this.listTradegeckoConnectionTokens({}, { take: 1 }))[0] as ConnectionTokenRow | undefined) ?? null,
      write: async (data) => {
        const [row] = await this.listTradegeckoConnectionTokens({}, { take: 1 })
        if (row) await this.updateTradegeckoConnectionTokens({ id: row.id, ...data } as never)
        else await this.createTradegeckoConnectionTokens(data as never)
      },
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
    const [[row]] = await Promise.all([
      this.listTradegeckoSettings({}, { take: 1 }),
      // Picks up a connect, disconnect or token refresh made in another process.
      this.connection.reload(),
    ])
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
    const data: Record<string, unknown> = {}
    for (const [option, value] of Object.entries(parseSettingsUpdate(update))) {
      data[SETTING_COLUMNS[option as keyof typeof SETTING_COLUMNS]] = value
    }
    const [row] = await this.listTradegeckoSettings({}, { take: 1 })
    // Medusa merges a JSON column on update: clear the maps first so the saved map replaces the old one.
    const maps = Object.keys(data).filter((k) => data[k] !== null && typeof data[k] === "object")
    if (row && maps.length)
      await this.updateTradegeckoSettings({ id: row.id, ...Object.fromEntries(maps.map((k) => [k, null])) })
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

  /** TradeGecko's /accounts/current, cached for 10 minutes (defaults rarely change). */
  getAccount(): Promise<Account> {
    return this.connection.getAccount()
  }

  /**
   * The TradeGecko price list whose prices are the store's prices: the `defaultPriceList`
   * setting, else the account's default order price list, else "retail".
   */
  async getPriceListId(): Promise<string> {
    const { defaultPriceList } = await this.getSettings()
    return defaultPriceList ?? String((await this.getAccount()).default_order_price_list_id ?? "retail")
  }

  private priceLists_: {
    value: Array<{ id: string; currency: string | null; name: string | null }>
    at: number
  } | null = null

  /** TradeGecko's price lists with their own currency, cached for 10 minutes. */
  async listPriceLists(): Promise<Array<{ id: string; currency: string | null; name: string | null }>> {
    if (this.priceLists_ && Date.now() - this.priceLists_.at < 10 * 60_000) return this.priceLists_.value
    const lists = await this.getClient().priceLists.all()
    const value = lists.map((l) => ({
      id: String(l.id),
      currency: l.currency_iso ? l.currency_iso.toLowerCase() : null,
      name: l.name ?? null,
    }))
    this.priceLists_ = { value, at: Date.now() }
    return value
  }

  /**
   * The TradeGecko price lists the catalog writes as Medusa prices, each with its own
   * currency in TradeGecko (null: the list does not exist there) and, with the
   * `priceLists` option, the store currency the merchant mapped it to.
   */
  async getCatalogPriceLists(): Promise<
    Array<{ priceListId: string; currencyCode: string | null; mappedTo: string | null }>
  > {
    const { priceLists } = await this.getSettings()
    const lists = await this.listPriceLists()
    const currencyOf = (id: string) => lists.find((l) => l.id === id)?.currency ?? null
    if (priceLists && Object.keys(priceLists).length) {
      return Object.entries(priceLists).map(([currency, id]) => ({
        priceListId: String(id),
        currencyCode: currencyOf(String(id)),
        mappedTo: currency.toLowerCase(),
      }))
    }
    const id = await this.getPriceListId()
    return [{ priceListId: id, currencyCode: currencyOf(id), mappedTo: null }]
  }

  /** Medusa calls this once the app is up: read a saved connection before the first TradeGecko call. */
  __hooks = {
    onApplicationStart: async () => {
      await this.getSettings()
    },
  }

  // The connection's methods, as the routes, workflows and tests call them (see connection.ts).

  /** The store's TradeGecko client (background calls). */
  getClient(): TradegeckoClient {
    return this.connection.getClient()
  }

  /** The TradeGecko client for calls a shopper waits on (short timeout, never waits for the rate limit). */
  getCheckoutClient(): TradegeckoClient {
    return this.connection.getCheckoutClient()
  }

  /** What the settings page shows about the connection (re-read first). Never includes a credential. */
  async getConnection(): Promise<ConnectionDescription> {
    await this.getSettings()
    return this.connection.describe()
  }

  connectWithPrivilegedToken(token: string): Promise<void> {
    return this.connection.connectWithPrivilegedToken(token)
  }

  oauthAuthorizeUrl(redirectUri: string): string {
    return this.connection.oauthAuthorizeUrl(redirectUri)
  }

  completeOAuth(input: { code: string; state: string; redirectUri: string }): Promise<void> {
    return this.connection.completeOAuth(input)
  }

  disconnect(): Promise<void> {
    return this.connection.disconnect()
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
