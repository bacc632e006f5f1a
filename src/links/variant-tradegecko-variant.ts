import ProductModule from "@medusajs/medusa/product"
import { defineLink } from "@medusajs/framework/utils"
import TradegeckoModule from "../modules/tradegecko"

/** TradeGecko variant link → Medusa product variant (read-only: joins on tradegecko_variant_link.variant_id). */
export default defineLink(
  { linkable: TradegeckoModule.linkable.tradegeckoVariantLink, field: "variant_id" },
  ProductModule.linkable.productVariant,
  { readOnly: true }
)
