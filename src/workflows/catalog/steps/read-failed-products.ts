import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"

/** First retry this long after a failure, doubling with each failure, at most 6 hours. */
const RETRY_BASE_MS = Math.max(1, Number(process.env.TRADEGECKO_PRODUCT_RETRY_BASE_SECONDS) || 60) * 1000
const RETRY_MAX_MS = 6 * 60 * 60 * 1000

export interface FailedProduct {
  tradegecko_product_id: number
  /** Failures in a row, since its last good outcome. */
  attempts: number
  last_error: string | null
  /** ISO */
  last_failed_at: string
  /** ISO */
  next_retry_at: string
}

/**
 * TradeGecko products whose latest outcome in any sync run is `failed`, with their
 * backoff: retried `RETRY_BASE × 2^(attempts−1)` after the last failure (at most 6 h),
 * listed until a run succeeds with them.
 */
export const listFailedProductsStep = createStep("list-failed-tradegecko-products", async (_: void, { container }) => {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const failed = await tradegecko.listTradegeckoSyncRunItems(
    { record_type: "product", outcome: "failed" },
    { select: ["tradegecko_id"], take: 10_000 }
  )
  const ids = [...new Set(failed.map((i) => Number(i.tradegecko_id)))]
  if (!ids.length) return new StepResponse([] as FailedProduct[])
  const items = await tradegecko.listTradegeckoSyncRunItems(
    { record_type: "product", tradegecko_id: ids },
    { select: ["tradegecko_id", "outcome", "message", "created_at"], order: { created_at: "DESC" }, take: 100_000 }
  )
  const out: FailedProduct[] = []
  for (const id of ids) {
    const history = items.filter((i) => Number(i.tradegecko_id) === id)
    if (history[0]?.outcome !== "failed") continue
    const streak = history.findIndex((i) => i.outcome !== "failed")
    const attempts = streak === -1 ? history.length : streak
    const last = new Date(history[0].created_at)
    const wait = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempts - 1))
    out.push({
      tradegecko_product_id: id,
      attempts,
      last_error: history[0].message ?? null,
      last_failed_at: last.toISOString(),
      next_retry_at: new Date(last.getTime() + wait).toISOString(),
    })
  }
  return new StepResponse(out.sort((a, b) => a.tradegecko_product_id - b.tradegecko_product_id))
})
