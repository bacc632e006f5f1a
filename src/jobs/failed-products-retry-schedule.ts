import type { MedusaContainer } from "@medusajs/framework/types"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { listFailedTradegeckoProductsWorkflow } from "../workflows/catalog/list-failed-products"
import { startCatalogSync } from "../lib/start-catalog-sync"

/**
 * Thin trigger: on each wake-up (once across all instances) re-syncs, in one targeted run,
 * the TradeGecko products whose last sync failed and whose backoff has passed. A product
 * failing again waits twice as long; it stays listed (GET /admin/tradegecko/failed-products)
 * until a run succeeds with it.
 */
export default async function retryTradegeckoFailedProducts(container: MedusaContainer) {
  try {
    if (!(await claimTickIfConnected(container, "product-retry", JOB_WAKE_SCHEDULE))) return
    const now = Date.now()
    const { result: failed } = await listFailedTradegeckoProductsWorkflow(container).run()
    const due = failed.filter((p) => new Date(p.next_retry_at).getTime() <= now).map((p) => p.tradegecko_product_id)
    if (!due.length) return
    await startCatalogSync(container, { trigger: "schedule", dryRun: false, scope: { product_ids: due } }).done
  } catch (e) {
    container.resolve("logger").warn(`TradeGecko failed-product retry tick failed: ${(e as Error).message}`) // the next tick tries again
  }
}

export const config = {
  name: "tradegecko-retry-failed-products",
  schedule: JOB_WAKE_SCHEDULE,
}
