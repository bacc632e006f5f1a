import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import {
  acceptanceLinesOf,
  mapMedusaOrderToTradegecko,
  type MedusaOrderForTradegecko,
} from "../../../mappings/medusa-order-to-tradegecko"
import { orderAcceptanceReasons } from "../../../mappings/order-acceptance"

const ORDER_FIELDS = [
  "id",
  "display_id",
  "email",
  "currency_code",
  "created_at",
  "sales_channel_id",
  // Medusa's total, which the TradeGecko total is made to equal (the mapping's rounding line)
  "total",
  // items.* (not items.quantity): an order item's quantity is computed from its detail row
  "items.*",
  "items.tax_lines.rate",
  "items.adjustments.amount",
  "items.adjustments.code",
  "items.adjustments.is_tax_inclusive",
  "shipping_methods.name",
  "shipping_methods.amount",
  "shipping_methods.is_tax_inclusive",
  "shipping_methods.tax_lines.rate",
  "shipping_methods.adjustments.amount",
  "shipping_methods.adjustments.code",
  "shipping_address.*",
  "billing_address.*",
  "customer.first_name",
  "customer.last_name",
  "customer.company_name",
]

export type BuiltTradegeckoOrder =
  | (ReturnType<typeof mapMedusaOrderToTradegecko> & {
      failure: null
      email: string | null
      companyKnown: boolean
      reviewReason: string | null
    })
  | { failure: string }

/**
 * Loads the Medusa order and builds the TradeGecko order: catalog links give the
 * variant lines; the customer's company comes from the e-mail link table, else from
 * TradeGecko by e-mail (one lookup per new customer), else it is embedded and created
 * with the order. An existing company is never updated.
 *
 * Status: "active" (stock committed), or with `autoFinalizeOrders` "finalized" when the
 * acceptance rule passes (one GET /variants for the order's variants) and otherwise a
 * "draft" with the reasons. When Medusa has no tax region for the shipping country, the
 * lines carry the account's default tax type.
 *
 * A failure (TradeGecko unavailable, …) is returned as `failure`, for the failure record
 * step. Compensation: the e-mail → company entry it cached is removed.
 */
export const buildTradegeckoOrderStep = createStep(
  "build-tradegecko-order",
  async ({ orderId }: { orderId: string }, { container }) => {
    const cached: string[] = []
    try {
      const built = await build(container, orderId, cached)
      return new StepResponse<BuiltTradegeckoOrder, { cachedIds: string[] }>(built, { cachedIds: cached })
    } catch (e) {
      return new StepResponse<BuiltTradegeckoOrder, { cachedIds: string[] }>(
        { failure: (e as Error).message ?? String(e) },
        { cachedIds: cached }
      )
    }
  },
  async (undo, { container }) => {
    if (!undo?.cachedIds?.length) return
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).deleteTradegeckoCustomerLinks(undo.cachedIds)
  }
)

async function build(container: MedusaContainer, orderId: string, cached: string[]) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: orderId } })
  const order = data[0] as unknown as MedusaOrderForTradegecko
  if (!order) throw new Error(`Medusa order ${orderId} not found`)

  const variantIds = order.items.map((i) => i.variant_id).filter((v): v is string => Boolean(v))
  const links = variantIds.length ? await tradegecko.listTradegeckoVariantLinks({ variant_id: variantIds }) : []
  const variantMap = Object.fromEntries(links.map((l) => [l.variant_id, l.tradegecko_variant_id]))

  let companyId: number | null = null
  const email = order.email?.trim().toLowerCase() || null
  if (email) {
    const [known] = await tradegecko.listTradegeckoCustomerLinks({ email })
    if (known) companyId = known.tradegecko_company_id
    else {
      const { items } = await tradegecko.getClient().companies.list({ email, limit: 1 })
      if (items[0]) {
        companyId = items[0].id
        const entry = await tradegecko.createTradegeckoCustomerLinks({ email, tradegecko_company_id: companyId })
        cached.push(entry.id)
      }
    }
  }
  const settings = await tradegecko.getSettings()
  let status: "active" | "finalized" | "draft" = "active"
  let reviewReasons: string[] = []
  if (settings.autoFinalizeOrders) {
    const acceptance = acceptanceLinesOf(order, variantMap)
    const ids = [...new Set(acceptance.map((l) => l.variant_id).filter((v): v is number => v !== undefined))]
    const variants = ids.length ? (await tradegecko.getClient().variants.list({ ids, limit: 250 })).items : []
    const priceListId = await tradegecko.getPriceListId()
    reviewReasons = orderAcceptanceReasons(acceptance, variants as any, {
      threshold: settings.autoFinalizePriceThreshold,
      priceListId,
    })
    status = reviewReasons.length ? "draft" : "finalized"
  }

  const mapped = mapMedusaOrderToTradegecko(order, { variantMap, companyId, status })
  return {
    ...mapped,
    failure: null,
    email,
    companyKnown: companyId !== null,
    reviewReason: reviewReasons.length ? reviewReasons.join("; ") : null,
  }
}
