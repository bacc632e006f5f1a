import { model } from "@medusajs/framework/utils"

/**
 * Settings the merchant changes from the admin settings page. Each column overrides the
 * plugin option of the same meaning; null means "use the option" (see service.getSettings()).
 * One row per store.
 */
const TradegeckoSettings = model.define("tradegecko_settings", {
  id: model.id({ prefix: "tgset" }).primaryKey(),
  sync_from_tag: model.text().nullable(),
  default_price_list: model.text().nullable(),
  /** Store currency → TradeGecko price list id (option `priceLists`). */
  price_lists: model.json().nullable(),
  sales_channel_id: model.text().nullable(),
  default_stock_location_id: model.text().nullable(),
  location_map: model.json().nullable(),
  checkout_freshness_seconds: model.number().nullable(),
  order_sync_level: model.text().nullable(),
  checkout_when_unreachable: model.text().nullable(),
  order_sync_from: model.text().nullable(),
  /** The order acceptance rule (options autoFinalizeOrders, autoFinalizePriceThreshold). */
  auto_finalize_orders: model.boolean().nullable(),
  auto_finalize_price_threshold: model.float().nullable(),
  // The connection made on the settings page (never returned by any route).
  /** "oauth" or "privileged_token"; null: not connected from the admin (plugin options may still hold a token). */
  connection_type: model.text().nullable(),
  /** A privileged token pasted on the settings page. */
  privileged_token: model.text().nullable(),
  /** OAuth pair; the refresh token rotates on every refresh, so each new pair is saved before use. */
  oauth_access_token: model.text().nullable(),
  oauth_refresh_token: model.text().nullable(),
  oauth_expires_at: model.dateTime().nullable(),
  connected_at: model.dateTime().nullable(),
})

export default TradegeckoSettings
