import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { orderSyncAllows } from "../../../lib/order-sync"
import { NOT_THIS_STORE } from "../../../lib/order-status-outcome"
import { applyTradegeckoOrderStatusWorkflow } from "../apply-tradegecko-order-status"
import { RECONCILE_EVENT } from "../../webhooks/webhook-events"
import { recordReconcileFailure, resolveReconcileFailure } from "../../../lib/webhook-deliveries"

/** Orders changed this long before the last run's start are read again (clock skew, slow writes). */
const OVERLAP_MS = 60_000
/** First run: look back this far. */
const FIRST_LOOKBACK_MS = 24 * 3600_000

/**
 * The safety net for missed webhooks (TradeGecko has no order.update/void event at all):
 * reads the sales orders TradeGecko changed since the last run (`updated_at_min`, every
 * status including void) and applies each one that came from this store. Recorded as an
 * `order_status` sync run, whose start is the next run's cursor — except that the cursor
 * never passes an order that failed: it is kept as a failed "order.reconcile" delivery,
 * retried with backoff by the retry job, and until it is applied or dismissed every run
 * starts no later than the run that first failed on it.
 *
 * The result is the sync run, or null when `orderSyncLevel` has no status sync. No
 * compensation: the run row is the record of what was applied (each order's changes are
 * recorded on its link), and it is the last step.
 */
export const reconcileTradegeckoOrdersStep = createStep(
  "reconcile-tradegecko-orders-since-last-run",
  async ({ trigger = "schedule" }: { trigger?: "schedule" | "manual" }, { container }) =>
    new StepResponse(await reconcile(container, trigger))
)

async function reconcile(container: any, trigger: "schedule" | "manual") {
  const tradegecko = container.resolve(TRADEGECKO_MODULE) as TradegeckoModuleService
  const { orderSyncLevel } = await tradegecko.getSettings()
  if (!orderSyncAllows(orderSyncLevel, "status")) return null
  const [last] = await tradegecko.listTradegeckoSyncRuns(
    { kind: "order_status", status: ["succeeded", "partial"] } as never,
    { take: 1, order: { started_at: "DESC" } }
  )
  const startedAt = new Date()
  let sinceMs = last ? new Date(last.started_at).getTime() - OVERLAP_MS : startedAt.getTime() - FIRST_LOOKBACK_MS
  // The cursor never passes an order that failed: while one is open (not applied, not
  // dismissed), runs start no later than the run that first failed on it did.
  const open = await tradegecko.listTradegeckoWebhookDeliveries(
    { event: RECONCILE_EVENT, status: "failed" },
    { select: ["run_id"], take: 1000 }
  )
  const heldBy = [...new Set(open.map((d) => d.run_id).filter(Boolean))] as string[]
  if (heldBy.length) {
    const runs = await tradegecko.listTradegeckoSyncRuns({ id: heldBy }, { select: ["since", "started_at"] })
    for (const r of runs) sinceMs = Math.min(sinceMs, new Date(r.since ?? r.started_at).getTime())
  }
  const since = new Date(sinceMs)
  const run = await tradegecko.createTradegeckoSyncRuns({
    kind: "order_status",
    trigger,
    started_at: startedAt,
    since,
    heartbeat_at: startedAt,
  })

  const counts = { seen: 0, ours: 0, changed: 0, failed: 0 }
  const errors: string[] = []
  try {
    const client = tradegecko.getClient()
    for await (const order of client.orders.iterate({
      updated_at_min: since,
      status: ["draft", "active", "finalized", "fulfilled", "void"],
      limit: 250,
    } as never)) {
      counts.seen++
      try {
        // (it checks the order link itself: another store's orders come back as NOT_THIS_STORE)
        const { result: outcome } = await applyTradegeckoOrderStatusWorkflow(container).run({
          input: { tradegeckoOrderId: order.id, prefetched: order },
        })
        if (outcome.reason === NOT_THIS_STORE) continue
        counts.ours++
        if (outcome.applied) counts.changed++
        await resolveReconcileFailure(container, order.id)
      } catch (e) {
        counts.ours++
        counts.failed++
        errors.push(`${order.reference_number ?? order.id}: ${(e as Error).message}`)
        // kept and retried with backoff until applied or dismissed (order health)
        await recordReconcileFailure(container, order.id, run.id, e as Error)
      }
    }
  } catch (e) {
    return tradegecko.updateTradegeckoSyncRuns({
      id: run.id,
      status: "failed",
      finished_at: new Date(),
      counts,
      error: (e as Error).message,
    })
  }
  return tradegecko.updateTradegeckoSyncRuns({
    id: run.id,
    status: counts.failed ? "partial" : "succeeded",
    finished_at: new Date(),
    processed: counts.seen,
    total: counts.seen,
    counts,
    error: errors.length ? errors.slice(0, 20).join("; ") : null,
  })
}
