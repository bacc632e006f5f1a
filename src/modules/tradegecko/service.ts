import { MedusaService } from "@medusajs/framework/utils"
import TradegeckoProductLink from "./models/product-link"
import TradegeckoSettings from "./models/settings"
import TradegeckoSyncRun from "./models/sync-run"
import TradegeckoSyncRunItem from "./models/sync-run-item"
import TradegeckoVariantLink from "./models/variant-link"
import TradegeckoWebhookDelivery from "./models/webhook-delivery"
import { TradegeckoClient } from "./client"
import { parseOptions, SettingsUpdateSchema, type SettingsUpdate, type TradegeckoOptions } from "./options"

/** Settings columns ↔ option names. */
const SETTING_COLUMNS = {
  syncFromTag: "sync_from_tag",
  defaultPriceList: "default_price_list",
  defaultStockLocationId: "default_stock_location_id",
  locationMap: "location_map",
  checkoutFreshnessSeconds: "checkout_freshness_seconds",
  orderSyncLevel: "order_sync_level",
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
    return this.getSettings()
  }

  private client_: TradegeckoClient | null = null

  /**
   * The TradeGecko client for this store (one per process, so its rate-limit pacing
   * is shared by every caller). Throws a clear error when no credential is configured.
   */
  getClient(): TradegeckoClient {
    if (this.client_) return this.client_
    const { baseUrl, privilegedToken } = this.options_
    if (!privilegedToken) {
      throw new Error(
        "medusa-plugin-tradegecko: no TradeGecko credential configured (set the privilegedToken option)"
      )
    }
    this.client_ = new TradegeckoClient({ baseUrl, auth: { type: "privileged", accessToken: privilegedToken } })
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
