import type { MedusaContainer } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../../modules/tradegecko/service"
import { RECONCILE_EVENT } from "../../../../../workflows/webhooks/webhook-events"

/**
 * One row of order health's "status changes": a Medusa → TradeGecko pay/void (kind
 * "action"), a TradeGecko change left for a person (kind "action", direction
 * from_tradegecko, status "attention"), or a TradeGecko webhook delivery / reconciled
 * order that failed to apply (kind "delivery"). Ids: tgsc_… and tgwh_….
 */
export interface StatusChangeView {
  id: string
  kind: "action" | "delivery"
  direction: "to_tradegecko" | "from_tradegecko"
  /** pay / void (actions), null for deliveries. */
  action: string | null
  /** The TradeGecko event (deliveries; "order.reconcile" for the reconciliation), null for actions. */
  event: string | null
  order_id: string | null
  reference: string | null
  tradegecko_object_id: number | null
  status: string
  attempts: number
  /** Why it failed, or what a person must decide; null otherwise. */
  last_error: string | null
  next_attempt_at: Date | null
  created_at: Date
  updated_at: Date
}

export const STATUS_CHANGE_FILTERS = ["open", "pending", "failed", "attention", "sent", "dismissed", "all"] as const
export type StatusChangeFilter = (typeof STATUS_CHANGE_FILTERS)[number]

const ACTION_STATUSES: Record<StatusChangeFilter, string[]> = {
  open: ["pending", "failed", "attention"],
  pending: ["pending"],
  failed: ["failed"],
  attention: ["attention"],
  sent: ["sent"],
  dismissed: ["dismissed"],
  all: ["pending", "failed", "attention", "sent", "dismissed"],
}
/** Only deliveries that need (or needed) a person are listed, not every processed webhook. */
const DELIVERY_STATUSES: Record<StatusChangeFilter, string[]> = {
  open: ["failed"],
  pending: [],
  failed: ["failed"],
  attention: [],
  sent: [],
  dismissed: ["dismissed"],
  all: ["failed", "dismissed"],
}

export async function listStatusChanges(
  container: MedusaContainer,
  filter: StatusChangeFilter,
  limit: number
): Promise<StatusChangeView[]> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const actions = await tradegecko.listTradegeckoOrderStatusChanges({ status: ACTION_STATUSES[filter] } as never, {
    take: limit,
    order: { created_at: "DESC" },
  })
  const deliveries = DELIVERY_STATUSES[filter].length
    ? await tradegecko.listTradegeckoWebhookDeliveries({ status: DELIVERY_STATUSES[filter] } as never, {
        take: limit,
        order: { created_at: "DESC" },
      })
    : []
  return [...(await viewActions(tradegecko, actions)), ...(await viewDeliveries(tradegecko, deliveries))]
    .sort((a, b) => new Date(b.created_at).getTime() - new Date(a.created_at).getTime())
    .slice(0, limit)
}

async function viewActions(tradegecko: TradegeckoModuleService, rows: any[]): Promise<StatusChangeView[]> {
  const orderIds = [...new Set(rows.map((r) => r.order_id))]
  const links = orderIds.length
    ? await tradegecko.listTradegeckoOrderLinks({ order_id: orderIds }, { take: orderIds.length })
    : []
  const byOrder = new Map(links.map((l) => [l.order_id, l]))
  return rows.map((r) => ({
    id: r.id,
    kind: "action",
    direction: r.direction,
    action: r.action,
    event: null,
    order_id: r.order_id,
    reference: byOrder.get(r.order_id)?.reference ?? null,
    tradegecko_object_id: byOrder.get(r.order_id)?.tradegecko_order_id ?? null,
    status: r.status,
    attempts: r.attempts,
    last_error: r.status === "sent" ? null : (r.last_error ?? null),
    next_attempt_at: r.status === "failed" ? r.next_attempt_at : null,
    created_at: r.created_at,
    updated_at: r.updated_at,
  }))
}

async function viewDeliveries(tradegecko: TradegeckoModuleService, rows: any[]): Promise<StatusChangeView[]> {
  // the reconciliation's rows name a TradeGecko order: show which Medusa order it is
  const tgOrderIds = [...new Set(rows.filter((r) => r.event === RECONCILE_EVENT).map((r) => r.object_id))]
  const links = tgOrderIds.length
    ? await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: tgOrderIds }, { take: tgOrderIds.length })
    : []
  const byTg = new Map(links.map((l) => [l.tradegecko_order_id, l]))
  return rows.map((r) => {
    const link = r.event === RECONCILE_EVENT ? byTg.get(r.object_id) : undefined
    return {
      id: r.id,
      kind: "delivery",
      direction: "from_tradegecko",
      action: null,
      event: r.event,
      order_id: link?.order_id ?? null,
      reference: link?.reference ?? null,
      tradegecko_object_id: r.object_id,
      status: r.status,
      attempts: r.attempts,
      last_error: r.error ?? null,
      next_attempt_at: r.status === "failed" ? r.next_attempt_at : null,
      created_at: r.created_at,
      updated_at: r.updated_at,
    }
  })
}

/** The row behind an id (tgsc_… or tgwh_…), or a 404 in words. */
export async function findStatusChange(container: MedusaContainer, id: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  if (id.startsWith("tgsc_")) {
    const [row] = await tradegecko.listTradegeckoOrderStatusChanges({ id })
    if (row) return { kind: "action" as const, row }
  } else if (id.startsWith("tgwh_")) {
    const [row] = await tradegecko.listTradegeckoWebhookDeliveries({ id })
    if (row) return { kind: "delivery" as const, row }
  }
  throw new MedusaError(MedusaError.Types.NOT_FOUND, `No TradeGecko status change ${id}`)
}

export async function viewOne(container: MedusaContainer, id: string): Promise<StatusChangeView> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const found = await findStatusChange(container, id)
  const [view] =
    found.kind === "action" ? await viewActions(tradegecko, [found.row]) : await viewDeliveries(tradegecko, [found.row])
  return view
}
