import { model } from "@medusajs/framework/utils"
import { VARIANT_LINK_ID_PREFIX } from "../id-prefixes"

/**
 * A TradeGecko variant ↔ Medusa variant pair, written by the catalog sync.
 * `stock_synced_at` is when its stock was last read from TradeGecko: the checkout
 * guard refreshes stock older than `checkoutFreshnessSeconds`.
 */
const TradegeckoVariantLink = model
  .define("tradegecko_variant_link", {
    id: model.id({ prefix: VARIANT_LINK_ID_PREFIX }).primaryKey(),
    tradegecko_variant_id: model.number(),
    tradegecko_product_id: model.number(),
    variant_id: model.text(),
    inventory_item_id: model.text().nullable(),
    sku: model.text().nullable(),
    stock_synced_at: model.dateTime().nullable(),
    last_synced_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["tradegecko_variant_id"], unique: true },
    { on: ["variant_id"], unique: true },
    { on: ["tradegecko_product_id"] },
  ])

export default TradegeckoVariantLink
