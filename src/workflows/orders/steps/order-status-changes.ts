import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { nextAttemptAt } from "../../../lib/backoff"
import { orderSyncAllows } from "../../../lib/order-sync"

export type ForwardAction = "pay" | "void"

const TO_TRADEGECKO = "to_tradegecko"
/** A change waiting for the push or the draft's review is looked at again this often (no TradeGecko call). */
const WAITING_RECHECK_MS = 10 * 60_000

type StatusChange = Awaited<ReturnType<TradegeckoModuleService["listTradegeckoOrderStatusChanges"]>>[number]

/**
 * Whether a Medusa pay/void goes to TradeGecko (validate step, reads only): the
 * `orderSyncLevel` allows status sync; it is not TradeGecko's own change coming back
 * (its "paid"/"void" applied to Medusa emits the same Medusa event); and a `pay` is a
 * payment captured in full (a partial capture is not TradeGecko's "paid").
 */
export const checkOrderActionForwardableStep = createStep(
  "check-tradegecko-order-action-forwardable",
  async ({ orderId, action }: { orderId: string; action: ForwardAction }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { orderSyncLevel } = await tradegecko.getSettings()
    if (!orderSyncAllows(orderSyncLevel, "status")) return new StepResponse(false)
    const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (((link?.applied ?? {}) as Record<string, unknown>)[`${action}_sent`]) return new StepResponse(false)
    if (action === "pay" && !(await capturedInFull(container, orderId))) return new StepResponse(false)
    return new StepResponse(true)
  }
)

/**
 * Records the change before it is sent (one `to_tradegecko` row per order and action; a
 * crash right after this write leaves it due a minute later for the retry job).
 * Compensation: the row it created is removed.
 */
export const recordOrderStatusChangeStep = createStep(
  "record-tradegecko-order-status-change",
  async ({ orderId, action }: { orderId: string; action: ForwardAction }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { change, created } = await recordChange(tradegecko, orderId, action)
    return new StepResponse(change, created ? change!.id : null)
  },
  async (createdId, { container }) => {
    if (!createdId) return
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).deleteTradegeckoOrderStatusChanges(createdId)
  }
)

/**
 * Canceled: a payment still waiting for TradeGecko no longer matters, it is dismissed.
 * Compensation: the payment's row goes back to what it was.
 */
export const dismissWaitingPaymentStep = createStep(
  "dismiss-waiting-tradegecko-payment",
  async ({ orderId }: { orderId: string }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [pay] = await tradegecko.listTradegeckoOrderStatusChanges({
      order_id: orderId,
      direction: TO_TRADEGECKO,
      action: "pay",
    })
    if (!pay || (pay.status !== "pending" && pay.status !== "failed")) return new StepResponse(null, null)
    const dismissed = await tradegecko.updateTradegeckoOrderStatusChanges({
      id: pay.id,
      status: "dismissed",
      next_attempt_at: null,
      last_error: "order canceled before TradeGecko had the payment",
    })
    return new StepResponse(dismissed, {
      id: pay.id,
      status: pay.status,
      next_attempt_at: pay.next_attempt_at,
      last_error: pay.last_error,
    })
  },
  async (before, { container }) => {
    if (!before) return
    await container
      .resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
      .updateTradegeckoOrderStatusChanges(before as never)
  }
)

/**
 * Sends one recorded Medusa → TradeGecko change now (one sender per order at a time).
 * Outcome on the row: sent; pending (waits for the push or the draft's review); or failed
 * with the reason and the next attempt. Each failure is logged at warn, a recovery at info.
 * No compensation: TradeGecko has no undo of "paid" or "void"; the row records what was sent.
 */
export const sendOrderStatusChangeStep = createStep(
  "send-tradegecko-order-status-change",
  async ({ changeId }: { changeId: string }, { container }) =>
    new StepResponse(await sendOrderStatusChange(container, changeId))
)

/**
 * Sends the changes that waited for the push or for the draft's finalization. Each change
 * keeps its own outcome on its row; after a push a failure here is never the push's (logged,
 * not thrown; `rethrow` for the TradeGecko → Medusa side, which retries).
 */
export const sendWaitingOrderStatusChangesStep = createStep(
  "send-waiting-tradegecko-order-status-changes",
  async (
    { orderId, reference, rethrow }: { orderId: string; reference?: string | null; rethrow?: boolean },
    { container }
  ) => {
    try {
      await sendWaiting(container, orderId)
    } catch (e) {
      if (rethrow) throw e
      container
        .resolve("logger")
        .warn(
          `TradeGecko status changes of order ${reference ?? ""} (${orderId}) not sent after its push: ${(e as Error).message}`
        )
    }
    return new StepResponse(null)
  }
)

/**
 * Medusa → TradeGecko changes due now: failed ones whose backoff has passed, and
 * recorded ones whose first attempt never finished (crash right after recording).
 */
export const findOrderStatusChangesDueStep = createStep(
  "find-tradegecko-order-status-changes-due",
  async ({ now, limit }: { now?: Date | string; limit?: number }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const due = await tradegecko.listTradegeckoOrderStatusChanges(
      {
        direction: TO_TRADEGECKO,
        status: ["pending", "failed"],
        next_attempt_at: { $lte: now ? new Date(now) : new Date() },
      } as never,
      { take: limit ?? 100, order: { next_attempt_at: "ASC" } }
    )
    return new StepResponse(due.map((c) => c.id))
  }
)

/** Captures and cancels this recent are checked for a change never recorded (event lost before its subscriber ran). */
const MISSING_WINDOW_MS = 24 * 3600_000

/**
 * The safety net for a lost payment.captured / order.canceled event (the subscriber never
 * ran, so nothing was recorded): orders of this store canceled, or with a payment captured,
 * in the last day (and more than a minute ago) without a recorded change, and pushed to
 * TradeGecko. Echoes and partial captures are filtered by the forward workflow itself.
 */
export const findUnrecordedOrderActionsStep = createStep(
  "find-unrecorded-tradegecko-order-actions",
  async ({ now }: { now?: Date | string }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { orderSyncLevel } = await tradegecko.getSettings()
    const none: Array<{ orderId: string; action: ForwardAction }> = []
    if (!orderSyncAllows(orderSyncLevel, "status")) return new StepResponse(none)
    const at = now ? new Date(now) : new Date()
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const window = { $gte: new Date(at.getTime() - MISSING_WINDOW_MS), $lt: new Date(at.getTime() - 60_000) }
    const { data: canceled } = await query.graph({
      entity: "order",
      fields: ["id"],
      filters: { canceled_at: window } as never,
      pagination: { take: 500 },
    })
    const { data: captured } = await query.graph({
      entity: "payment",
      fields: ["id", "payment_collection.order.id"],
      filters: { captured_at: window } as never,
      pagination: { take: 500 },
    })
    const candidates: Array<[string, ForwardAction]> = [
      ...(canceled as any[]).map((o): [string, ForwardAction] => [o.id, "void"]),
      ...(captured as any[])
        .map((p) => p.payment_collection?.order?.id)
        .filter(Boolean)
        .map((id: string): [string, ForwardAction] => [id, "pay"]),
    ]
    if (!candidates.length) return new StepResponse(none)
    const orderIds = [...new Set(candidates.map(([id]) => id))]
    const known = await tradegecko.listTradegeckoOrderStatusChanges(
      { order_id: orderIds, direction: TO_TRADEGECKO },
      { take: orderIds.length * 2 }
    )
    const recorded = new Set(known.map((c) => `${c.order_id}:${c.action}`))
    const links = await tradegecko.listTradegeckoOrderLinks({ order_id: orderIds }, { take: orderIds.length })
    const linked = new Set(links.filter((l) => l.status !== "skipped").map((l) => l.order_id))
    const found = [...none]
    for (const [orderId, action] of candidates) {
      // an order never pushed has no TradeGecko order to change (its push, if due, is the retry job's)
      if (recorded.has(`${orderId}:${action}`) || !linked.has(orderId)) continue
      recorded.add(`${orderId}:${action}`)
      found.push({ orderId, action })
    }
    return new StepResponse(found)
  }
)

async function recordChange(
  tradegecko: TradegeckoModuleService,
  orderId: string,
  action: ForwardAction
): Promise<{ change: StatusChange | null; created: boolean }> {
  const [existing] = await tradegecko.listTradegeckoOrderStatusChanges({
    order_id: orderId,
    direction: TO_TRADEGECKO,
    action,
  })
  if (existing) return { change: existing, created: false }
  // A crash right after this write leaves the row due a minute later: the retry job sends it.
  const row = {
    order_id: orderId,
    direction: TO_TRADEGECKO as never,
    action,
    status: "pending" as const,
    next_attempt_at: new Date(Date.now() + 60_000),
  }
  try {
    return { change: await tradegecko.createTradegeckoOrderStatusChanges(row), created: true }
  } catch {
    // the same event handled twice at once: the other handler recorded it
    const [raced] = await tradegecko.listTradegeckoOrderStatusChanges({
      order_id: orderId,
      direction: TO_TRADEGECKO,
      action,
    })
    return { change: raced ?? null, created: false }
  }
}

/** True when every live payment of the order is captured in full (what TradeGecko's "paid" means). */
async function capturedInFull(container: MedusaContainer, orderId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "payment_collections.payments.amount",
      "payment_collections.payments.canceled_at",
      "payment_collections.payments.captures.amount",
    ],
    filters: { id: orderId },
  })
  const payments = ((data[0] as any)?.payment_collections ?? [])
    .flatMap((pc: any) => pc.payments ?? [])
    .filter((p: any) => !p.canceled_at)
  if (!payments.length) return false
  return payments.every((p: any) => {
    const captured = (p.captures ?? []).reduce((a: any, c: any) => MathBN.add(a, c.amount), MathBN.convert(0))
    return MathBN.gte(captured, p.amount)
  })
}

async function sendOrderStatusChange(container: MedusaContainer, changeId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [first] = await tradegecko.listTradegeckoOrderStatusChanges({ id: changeId })
  if (!first) return null
  return container
    .resolve(Modules.LOCKING)
    .execute(`tradegecko-order-action-${first.order_id}`, () => sendLocked(container, changeId), { timeout: 120 })
}

async function sendLocked(container: MedusaContainer, changeId: string): Promise<StatusChange | null> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const logger = container.resolve("logger")
  const [change] = await tradegecko.listTradegeckoOrderStatusChanges({ id: changeId })
  if (!change || change.direction !== TO_TRADEGECKO || !["pending", "failed"].includes(change.status))
    return change ?? null
  const action = change.action as ForwardAction
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: change.order_id })
  const applied = (link?.applied ?? {}) as Record<string, unknown>
  const update = (data: Record<string, unknown>) =>
    tradegecko.updateTradegeckoOrderStatusChanges({ id: change.id, ...data })
  const what = `TradeGecko ${action} of order ${link?.reference ?? "(not pushed yet)"} (${change.order_id})`

  if (applied[`${action}_sent`])
    return update({ status: "sent", next_attempt_at: null, last_error: null, done_at: new Date() })
  if (link?.status === "skipped") {
    return update({
      status: "dismissed",
      next_attempt_at: null,
      last_error: `the order is not synced with TradeGecko (${link.last_error ?? "skipped"})`,
    })
  }
  if (!link || link.status !== "pushed" || !link.tradegecko_order_id) {
    // sent right after the push (sendWaitingOrderStatusChangesStep), looked at again now and then
    // meanwhile; a push that does not happen is in order health itself
    return update({
      status: "pending",
      next_attempt_at: new Date(Date.now() + WAITING_RECHECK_MS),
      last_error: "waiting for the order to reach TradeGecko",
    })
  }
  if (link.tradegecko_status === "void" || link.tradegecko_status === "deleted") {
    return action === "void"
      ? update({ status: "sent", next_attempt_at: null, last_error: null, done_at: new Date() })
      : update({
          status: "dismissed",
          next_attempt_at: null,
          last_error: `the TradeGecko order is ${link.tradegecko_status}`,
        })
  }
  if (link.tradegecko_status === "draft" && action === "pay") {
    // A draft waits for the merchant's review in TradeGecko: it cannot be paid yet; sent once finalized.
    return update({
      status: "pending",
      next_attempt_at: new Date(Date.now() + WAITING_RECHECK_MS),
      last_error: "waiting for the draft's review in TradeGecko",
    })
  }

  const attempt = change.attempts + 1
  try {
    let status: string | null | undefined
    if (link.tradegecko_status === "draft") {
      await tradegecko.getClient().orders.delete(link.tradegecko_order_id)
      status = "deleted"
    } else {
      const { order } = await tradegecko.getClient().orders.action(link.tradegecko_order_id, action, undefined, {
        idempotencyKey: `medusa-${action}-${change.order_id}`,
      })
      status = order?.status
    }
    await tradegecko.updateTradegeckoOrderLinks({
      id: link.id,
      tradegecko_status: status ?? link.tradegecko_status,
      applied: { ...applied, [`${action}_sent`]: true, [`${action}_pending`]: false },
    })
    if (change.status === "failed") logger.info(`${what} sent after ${attempt} attempts`)
    return update({ status: "sent", attempts: attempt, next_attempt_at: null, last_error: null, done_at: new Date() })
  } catch (e) {
    const reason = (e as Error).message ?? String(e)
    const next = nextAttemptAt(attempt)
    logger.warn(`${what} failed (attempt ${attempt}): ${reason}; next attempt at ${next.toISOString()}`)
    return update({ status: "failed", attempts: attempt, last_error: reason, next_attempt_at: next })
  }
}

async function sendWaiting(container: MedusaContainer, orderId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  // (links written before status changes were recorded kept "<action>_pending" flags)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
  for (const action of ["pay", "void"] as const) {
    if (((link?.applied ?? {}) as Record<string, unknown>)[`${action}_pending`])
      await recordChange(tradegecko, orderId, action)
  }
  const waiting = await tradegecko.listTradegeckoOrderStatusChanges({
    order_id: orderId,
    direction: TO_TRADEGECKO,
    status: ["pending", "failed"],
  } as never)
  // void last: a canceled order's payment is dismissed by then
  for (const change of waiting.sort((a, b) => (a.action === "void" ? 1 : 0) - (b.action === "void" ? 1 : 0))) {
    await sendOrderStatusChange(container, change.id)
  }
}
