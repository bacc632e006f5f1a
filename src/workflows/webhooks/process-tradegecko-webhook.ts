import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"
import { catalogScopeForEvent } from "./webhook-events"
import { ORDER_STATUS_EVENTS, tradegeckoOrderIdForEvent } from "../../lib/order-status-events"
import { applyTradegeckoOrderStatusWorkflow } from "../orders/apply-tradegecko-order-status"
import { startCatalogSync } from "../catalog/sync-tradegecko-catalog"
import { nextAttemptAt } from "../../lib/backoff"

/** Event the webhook route emits once a delivery is recorded; workers process it. */
export const WEBHOOK_RECEIVED_EVENT = "tradegecko.webhook.received"
/** A delivery still "received" after this long lost its event (crash): the retry job processes it. */
export const STALE_DELIVERY_MS = 2 * 60_000

/** The order reconciliation records an order it could not apply as a delivery of this (internal) event. */
export const RECONCILE_EVENT = "order.reconcile"

type Delivery = Awaited<ReturnType<TradegeckoModuleService["listTradegeckoWebhookDeliveries"]>>[number]

/**
 * Processes one recorded webhook delivery (on a worker, from the event the route emits):
 * catalog events re-read the affected product or variant; order events apply the
 * order's TradeGecko state to Medusa. The outcome is written on the delivery. A delivery
 * already processed is left alone, so a re-delivered event changes nothing. A failed one
 * keeps its reason and is retried with backoff (`retry: true`, from the retry job or the
 * order health page) until it succeeds or a person dismisses it; each failure is logged
 * at warn, the recovery at info.
 */
export async function processTradegeckoWebhook(container: MedusaContainer, deliveryRowId: string, opts: { retry?: boolean } = {}) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [delivery] = await tradegecko.listTradegeckoWebhookDeliveries({ id: deliveryRowId })
  if (!delivery) return null
  if (delivery.status !== "received" && !(opts.retry && delivery.status === "failed")) return delivery
  const { event, object_id } = delivery

  if (ORDER_STATUS_EVENTS.has(event) || event === RECONCILE_EVENT) {
    try {
      const orderId = event === RECONCILE_EVENT ? object_id : await tradegeckoOrderIdForEvent(tradegecko.getClient(), event, object_id)
      const r = orderId
        ? (await applyTradegeckoOrderStatusWorkflow(container).run({ input: { tradegeckoOrderId: orderId } })).result
        : { applied: false, changes: [], reason: "no order" }
      return succeeded(container, delivery, { status: r.applied ? "processed" : "ignored", error: r.applied ? null : r.reason ?? null })
    } catch (e) {
      return failed(container, delivery, e as Error)
    }
  }
  const scope = catalogScopeForEvent(event, object_id)
  if (!scope) return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "ignored" })
  const { runId, done } = startCatalogSync(container, { trigger: "webhook", dryRun: false, scope })
  try {
    await done
    return succeeded(container, delivery, { status: "processed", run_id: runId })
  } catch (e) {
    return failed(container, delivery, e as Error, runId)
  }
}

/** The delivery in words for the log; a reconciled order is named by its Medusa order too. */
async function describe(container: MedusaContainer, d: Pick<Delivery, "event" | "object_id" | "delivery_id">) {
  if (d.event !== RECONCILE_EVENT) return `TradeGecko webhook ${d.event} ${d.object_id} (delivery ${d.delivery_id})`
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: d.object_id }).catch(() => [])
  return `TradeGecko order ${d.object_id}${link ? ` = order ${link.reference} (${link.order_id})` : ""} (reconciliation)`
}

async function succeeded(container: MedusaContainer, delivery: Delivery, data: Record<string, unknown>) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const attempts = delivery.attempts + 1
  if (delivery.status === "failed") container.resolve("logger").info(`${await describe(container, delivery)} applied after ${attempts} attempts`)
  return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, error: null, ...data, attempts, next_attempt_at: null })
}

async function failed(container: MedusaContainer, delivery: Delivery, e: Error, runId?: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const attempts = delivery.attempts + 1
  const reason = e.message ?? String(e)
  const next = nextAttemptAt(attempts)
  container.resolve("logger").warn(`${await describe(container, delivery)} failed (attempt ${attempts}): ${reason}; next attempt at ${next.toISOString()}`)
  return tradegecko.updateTradegeckoWebhookDeliveries({
    id: delivery.id,
    status: "failed",
    error: reason,
    attempts,
    next_attempt_at: next,
    ...(runId ? { run_id: runId } : {}),
  })
}

/**
 * The reconciliation could not apply a TradeGecko order: kept as a failed "order.reconcile"
 * delivery (one open row per order, retried like a failed webhook delivery). Its run_id is
 * the run that first failed on it, whose start the cursor does not pass while it is open.
 */
export async function recordReconcileFailure(container: MedusaContainer, tradegeckoOrderId: number, runId: string, e: Error) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [open] = await tradegecko.listTradegeckoWebhookDeliveries({ event: RECONCILE_EVENT, object_id: tradegeckoOrderId, status: "failed" })
  if (open) return failed(container, open, e)
  const [row] = await tradegecko.createTradegeckoWebhookDeliveries([
    { delivery_id: `reconcile-${tradegeckoOrderId}-${runId}`, event: RECONCILE_EVENT, object_id: tradegeckoOrderId, status: "received", run_id: runId },
  ])
  return failed(container, row, e)
}

/** The reconciliation applied an order whose earlier reconciliation failed: that row is done. */
export async function resolveReconcileFailure(container: MedusaContainer, tradegeckoOrderId: number) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [open] = await tradegecko.listTradegeckoWebhookDeliveries({ event: RECONCILE_EVENT, object_id: tradegeckoOrderId, status: "failed" })
  if (open) await succeeded(container, open, { status: "processed" })
}

/** Failed deliveries (webhooks and reconciled orders) whose backoff has passed. */
export async function webhookDeliveriesDue(container: MedusaContainer, now = new Date(), limit = 50): Promise<string[]> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const due = await tradegecko.listTradegeckoWebhookDeliveries(
    { status: "failed", next_attempt_at: { $lte: now } } as never,
    { take: limit, order: { next_attempt_at: "ASC" } }
  )
  return due.map((d) => d.id)
}

/** Deliveries still "received" long after they arrived: their processing event was lost. */
export async function webhookDeliveriesLeftBehind(container: MedusaContainer, now = new Date(), limit = 50): Promise<string[]> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const stuck = await tradegecko.listTradegeckoWebhookDeliveries(
    { status: "received", created_at: { $lt: new Date(now.getTime() - STALE_DELIVERY_MS) } } as never,
    { take: limit, order: { created_at: "ASC" } }
  )
  return stuck.map((d) => d.id)
}
