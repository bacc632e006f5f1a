import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { listFailedTradegeckoProductsWorkflow } from "../../../../workflows/catalog/list-failed-products"

/**
 * GET /admin/tradegecko/failed-products — TradeGecko products whose last sync failed: how
 * many times in a row, the last error, and when the plugin retries them. Listed until they succeed.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  const { result: products } = await listFailedTradegeckoProductsWorkflow(req.scope).run()
  res.json({ failed_products: products, count: products.length })
}
