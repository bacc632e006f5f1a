import ProductModule from "@medusajs/medusa/product"
import { defineLink } from "@medusajs/framework/utils"
import TradegeckoModule from "../modules/tradegecko"

/** TradeGecko product link → Medusa product (read-only: joins on tradegecko_product_link.product_id). */
export default defineLink(
  { linkable: TradegeckoModule.linkable.tradegeckoProductLink, field: "product_id" },
  ProductModule.linkable.product,
  { readOnly: true }
)
