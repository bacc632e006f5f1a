import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { RECONCILE_EVENT, STALE_DELIVERY_MS } from "../workflows/webhooks/webhook-events"
import { nextAttemptAt } from "./backoff"

/**
 * The outcome records of TradeGecko webhook deliveries (and of orders the reconciliation
 * could not apply, kept as failed "order.reconcile" deliveries), and the queries of the
 * retry job. Used by the webhook workflow's steps and by the order reconciliation.
 */

export type WebhookDelivery = Awaited<ReturnType<TradegeckoModuleService["listTradegeckoWebhookDeliveries"]>>[number]

/** What processing a delivery came to. `unhandled`: no handler for its event (ignored, no attempt counted). */
export type DeliveryOutcome =
  | { status: "processed" | "ignored"; error?: string | null; run_id?: string }
  | { status: "failed"; error: string; run_id?: string }
  | { status: "unhandled" }

/** The fields of a delivery an outcome changes: what undoing the outcome restores. */
export type DeliveryOutcomeFields = Pick<
  WebhookDelivery,
  "id" | "status" | "error" | "attempts" | "next_attempt_at" | "run_id"
>

const service = (container: MedusaContainer) => container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)

/** The delivery in words for the log; a reconciled order is named by its Medusa order too. */
async function describe(container: MedusaContainer, d: Pick<WebhookDelivery, "event" | "object_id" | "delivery_id">) {
  if (d.event !== RECONCILE_EVENT) return `TradeGecko webhook ${d.event} ${d.object_id} (delivery ${d.delivery_id})`
  const [link] = await service(container)
    .listTradegeckoOrderLinks({ tradegecko_order_id: d.object_id })
    .catch(() => [])
  return `TradeGecko order ${d.object_id}${link ? ` = order ${link.reference} (${link.order_id})` : ""} (reconciliation)`
}

/**
 * Writes an outcome on a delivery: a success clears the error and the backoff (logged at
 * info when it recovers a failed one); a failure keeps its reason and is retried with
 * backoff (logged at warn).
 */
export async function recordDeliveryOutcome(
  container: MedusaContainer,
  delivery: WebhookDelivery,
  outcome: DeliveryOutcome
) {
  const tradegecko = service(container)
  if (outcome.status === "unhandled")
    return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "ignored" })
  const attempts = delivery.attempts + 1
  const runId = outcome.run_id ? { run_id: outcome.run_id } : {}
  if (outcome.status !== "failed") {
    if (delivery.status === "failed")
      container.resolve("logger").info(`${await describe(container, delivery)} applied after ${attempts} attempts`)
    return tradegecko.updateTradegeckoWebhookDeliveries({
      id: delivery.id,
      status: outcome.status,
      error: outcome.error ?? null,
      ...runId,
      attempts,
      next_attempt_at: null,
    })
  }
  const next = nextAttemptAt(attempts)
  container
    .resolve("logger")
    .warn(
      `${await describe(container, delivery)} failed (attempt ${attempts}): ${outcome.error}; next attempt at ${next.toISOString()}`
    )
  return tradegecko.updateTradegeckoWebhookDeliveries({
    id: delivery.id,
    status: "failed",
    error: outcome.error,
    attempts,
    next_attempt_at: next,
    ...runId,
  })
}

/**
 * The reconciliation could not apply a TradeGecko order: kept as a failed "order.reconcile"
 * delivery (one open row per order, retried like a failed webhook delivery). Its run_id is
 * the run that first failed on it, whose start the cursor does not pass while it is open.
 */
export async function recordReconcileFailure(
  container: MedusaContainer,
  tradegeckoOrderId: number,
  runId: string,
  e: Error
) {
  const tradegecko = service(container)
  const failed = { status: "failed" as const, error: e.message ?? String(e) }
  const [open] = await tradegecko.listTradegeckoWebhookDeliveries({
    event: RECONCILE_EVENT,
    object_id: tradegeckoOrderId,
    status: "failed",
  })
  if (open) return recordDeliveryOutcome(container, open, failed)
  const [row] = await tradegecko.createTradegeckoWebhookDeliveries([
    {
      delivery_id: `reconcile-${tradegeckoOrderId}-${runId}`,
      event: RECONCILE_EVENT,
      object_id: tradegeckoOrderId,
      status: "received",
      run_id: runId,
    },
  ])
  return recordDeliveryOutcome(container, row, failed)
}

/** The reconciliation applied an order whose earlier reconciliation failed: that row is done. */
export async function resolveReconcileFailure(container: MedusaContainer, tradegeckoOrderId: number) {
  const tradegecko = service(container)
  const [open] = await tradegecko.listTradegeckoWebhookDeliveries({
    event: RECONCILE_EVENT,
    object_id: tradegeckoOrderId,
    status: "failed",
  })
  if (open) await recordDeliveryOutcome(container, open, { status: "processed" })
}

/** Failed deliveries (webhooks and reconciled orders) whose backoff has passed. */
export async function webhookDeliveriesDue(
  container: MedusaContainer,
  now = new Date(),
  limit = 50
): Promise<string[]> {
  const due = await service(container).listTradegeckoWebhookDeliveries(
    { status: "failed", next_attempt_at: { $lte: now } } as never,
    { take: limit, order: { next_attempt_at: "ASC" } }
  )
  return due.map((d) => d.id)
}

/** Deliveries still "received" long after they arrived: their processing event was lost. */
export async function webhookDeliveriesLeftBehind(
  container: MedusaContainer,
  now = new Date(),
  limit = 50
): Promise<string[]> {
  const stuck = await service(container).listTradegeckoWebhookDeliveries(
    { status: "received", created_at: { $lt: new Date(now.getTime() - STALE_DELIVERY_MS) } } as never,
    { take: limit, order: { created_at: "ASC" } }
  )
  return stuck.map((d) => d.id)
}
