import { model } from "@medusajs/framework/utils"

/**
 * Settings the merchant changes from the admin settings page. Each column overrides the
 * plugin option of the same meaning; null means "use the option" (see service.getSettings()).
 * One row per store. The connection's credential lives apart, in connection-token.ts.
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
})

export default TradegeckoSettings
