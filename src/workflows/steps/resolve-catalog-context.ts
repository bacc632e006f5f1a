import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow, linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"
import type { CatalogMappingContext } from "../../mappings/tradegecko-product-to-medusa"

export interface CatalogContext extends CatalogMappingContext {
  salesChannelId: string | null
  shippingProfileId: string | null
}

/**
 * A store with no stock location gets one mirroring TradeGecko's primary location,
 * sold from the default sales channel and made the store's default location.
 */
async function stockLocationFromTradegecko(container: MedusaContainer, storeId: string, salesChannelId: string | null) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const account = await tradegecko.getAccount()
  const client = tradegecko.getClient()
  const primary = account.primary_location_id ? await client.locations.get(account.primary_location_id) : null
  const { result } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [{ name: `${primary?.label ?? "TradeGecko"} (TradeGecko)`, metadata: { tradegecko_location_id: primary?.id ?? null } }],
    },
  })
  const location = result[0]
  if (salesChannelId) {
    await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id: location.id, add: [salesChannelId] } })
  }
  await container.resolve(Modules.STORE).updateStores(storeId, { default_location_id: location.id })
  return location.id
}

/**
 * Where synced products go in this store: currency, sales channel, shipping profile,
 * stock location (option, else the store's default location, else the first one, else
 * one created from TradeGecko's primary location), price list (setting/option, else the
 * TradeGecko account's default order price list, else "retail").
 */
export async function resolveCatalogContext(container: MedusaContainer): Promise<CatalogContext> {
  const options = await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getSettings()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)

  const { data: stores } = await query.graph({
    entity: "store",
    fields: ["id", "default_sales_channel_id", "default_location_id", "supported_currencies.*"],
  })
  const store = stores[0] as any
  const currencies: Array<{ currency_code: string; is_default: boolean }> = store?.supported_currencies ?? []
  const currencyCode = (currencies.find((c) => c.is_default) ?? currencies[0])?.currency_code ?? "usd"

  let stockLocationId: string | null = options.defaultStockLocationId ?? store?.default_location_id ?? null
  if (!stockLocationId) {
    const stockLocations = await container.resolve(Modules.STOCK_LOCATION).listStockLocations({}, { take: 1, order: { created_at: "ASC" } })
    stockLocationId = stockLocations[0]?.id ?? null
  }
  if (!stockLocationId && Object.keys(options.locationMap).length === 0) {
    stockLocationId = await stockLocationFromTradegecko(container, store.id, store?.default_sales_channel_id ?? null)
  }
  const priceListId = await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getPriceListId()

  const profiles = await container.resolve(Modules.FULFILLMENT).listShippingProfiles({ type: "default" }, { take: 1 })

  return {
    priceListId,
    currencyCode: currencyCode.toLowerCase(),
    locationMap: options.locationMap,
    defaultStockLocationId: stockLocationId ?? "",
    syncFromTag: options.syncFromTag ?? null,
    salesChannelId: store?.default_sales_channel_id ?? null,
    shippingProfileId: profiles[0]?.id ?? null,
  }
}

export const resolveCatalogContextStep = createStep("resolve-tradegecko-catalog-context", async (_: void, { container }) => {
  return new StepResponse(await resolveCatalogContext(container))
})
