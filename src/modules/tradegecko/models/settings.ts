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
  default_stock_location_id: model.text().nullable(),
  location_map: model.json().nullable(),
  checkout_freshness_seconds: model.number().nullable(),
  order_sync_level: model.text().nullable(),
  checkout_when_unreachable: model.text().nullable(),
  order_sync_from: model.text().nullable(),
})

export default TradegeckoSettings
