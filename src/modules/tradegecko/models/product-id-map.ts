import { model } from "@medusajs/framework/utils"
import { PRODUCT_LINK_ID_PREFIX } from "../id-prefixes"

/**
 * A TradeGecko product ↔ Medusa product pair, written by the catalog sync.
 * Joined to Medusa's product by the read-only link in src/links/product-tradegecko-product.ts.
 */
const TradegeckoProductLink = model
  .define("tradegecko_product_link", {
    id: model.id({ prefix: PRODUCT_LINK_ID_PREFIX }).primaryKey(),
    tradegecko_product_id: model.number(),
    product_id: model.text(),
    /** TradeGecko's `updated_at` of the version last applied. */
    tradegecko_updated_at: model.text().nullable(),
    /** Hash of the mapped product last written: an equal hash means nothing to update. */
    content_hash: model.text().nullable(),
    /** The sync unpublished this product (nothing to sell); it may publish it again. */
    hidden_by_sync: model.boolean().default(false),
    /** Archived in TradeGecko: the Medusa product is left as it is and no longer synced. */
    archived: model.boolean().default(false),
    last_synced_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["tradegecko_product_id"], unique: true },
    { on: ["product_id"], unique: true },
  ])

export default TradegeckoProductLink
