import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createStockLocationsWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"

/**
 * A store ready to receive the TradeGecko catalog: USD (or `currency`) as default currency and a
 * stock location linked to the default sales channel (as a merchant would set up).
 */
export async function seedStore(container: MedusaContainer, opts: { locations?: string[]; currency?: string } = {}) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: stores } = await query.graph({ entity: "store", fields: ["id", "default_sales_channel_id"] })
  const store = stores[0] as any
  await updateStoresWorkflow(container).run({
    input: {
      selector: { id: store.id },
      update: {
        supported_currencies:
          (opts.currency ?? "usd") === "usd"
            ? [{ currency_code: "usd", is_default: true }, { currency_code: "eur" }]
            : [{ currency_code: opts.currency!, is_default: true }, { currency_code: "usd" }],
      },
    },
  })
  const names = opts.locations ?? ["Main warehouse"]
  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: names.map((name) => ({ name })) },
  })
  for (const loc of locations) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({
      input: { id: loc.id, add: [store.default_sales_channel_id] },
    })
  }
  await container.resolve(Modules.STORE).updateStores(store.id, { default_location_id: locations[0].id })
  return { storeId: store.id as string, salesChannelId: store.default_sales_channel_id as string, locations }
}
