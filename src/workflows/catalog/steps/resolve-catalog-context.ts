import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow, linkSalesChannelsToStockLocationWorkflow } from "@medusajs/medusa/core-flows"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { CatalogMappingContext } from "../../../mappings/tradegecko-product-to-medusa"

export interface CatalogContext extends CatalogMappingContext {
  salesChannelId: string | null
  shippingProfileId: string | null
  /** What the merchant must know before/after the import, in words (shown on the run, the dry run and the settings page). */
  warnings: string[]
}

export interface ResolveCatalogContextOptions {
  /** Plan only: create and link nothing, say what the import would do. */
  dryRun?: boolean
  /** Resolve the price lists (one TradeGecko call, cached); stock-only callers (checkout) skip it. */
  prices?: boolean
}

/**
 * A store with no stock location gets one mirroring TradeGecko's primary location,
 * made the store's default location (it is linked to the sales channel below).
 */
async function stockLocationFromTradegecko(container: MedusaContainer, storeId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const account = await tradegecko.getAccount()
  const client = tradegecko.getClient()
  const primary = account.primary_location_id ? await client.locations.get(account.primary_location_id) : null
  const { result } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        {
          name: `${primary?.label ?? "TradeGecko"} (TradeGecko)`,
          metadata: { tradegecko_location_id: primary?.id ?? null },
        },
      ],
    },
  })
  const location = result[0]
  await container.resolve(Modules.STORE).updateStores(storeId, { default_location_id: location.id })
  return location.id
}

/**
 * Which TradeGecko price lists become Medusa prices, each in its own currency: a list
 * whose currency the store does not support, or mapped to another currency than its
 * own, is reported and not written.
 */
async function resolvePriceLists(container: MedusaContainer, storeCurrencies: string[], warnings: string[]) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const out: Array<{ priceListId: string; currencyCode: string }> = []
  for (const list of await tradegecko.getCatalogPriceLists()) {
    const name = `TradeGecko price list "${list.priceListId}"`
    if (!list.currencyCode) {
      warnings.push(
        `${name} does not exist in TradeGecko (or has no currency): no prices are written from it. Choose another price list (options defaultPriceList/priceLists, or the settings page).`
      )
      continue
    }
    const cur = list.currencyCode.toUpperCase()
    if (list.mappedTo && list.mappedTo !== list.currencyCode) {
      warnings.push(
        `${name} is in ${cur} but is mapped to ${list.mappedTo.toUpperCase()}: its prices are not written. Map it to ${cur} (option priceLists, or the settings page).`
      )
      continue
    }
    if (!storeCurrencies.includes(list.currencyCode)) {
      warnings.push(
        `${name} is in ${cur}, which this store does not support: no ${cur} prices are written. Add ${cur} to the store's currencies (Settings → Store), or map a price list in a currency the store sells in (option priceLists, or the settings page).`
      )
      continue
    }
    if (out.some((o) => o.currencyCode === list.currencyCode)) {
      warnings.push(
        `${name} is in ${cur}, like "${out.find((o) => o.currencyCode === list.currencyCode)!.priceListId}": only the first is written.`
      )
      continue
    }
    out.push({ priceListId: list.priceListId, currencyCode: list.currencyCode })
  }
  return out
}

/**
 * Where synced products go in this store and what they cost:
 * - sales channel: the `salesChannelId` setting/option, else the store's default channel;
 * - stock location receiving TradeGecko stock (when no location map applies): the
 *   `defaultStockLocationId` setting/option, else the store's default location, else the
 *   only location linked to the sales channel, else the store's only location, else (no
 *   location at all) one created from TradeGecko's primary location; several candidates
 *   and none chosen is an error naming what to set. Every receiving location is linked to
 *   the sales channel (added, never removed), so its stock can be sold there;
 * - price lists: the `priceLists` map, else the `defaultPriceList` setting/option, else
 *   the account's default order price list, each written in its own currency.
 */
export async function resolveCatalogContext(
  container: MedusaContainer,
  opts: ResolveCatalogContextOptions = {}
): Promise<CatalogContext> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const options = await tradegecko.getSettings()
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const warnings: string[] = []

  const { data: stores } = await query.graph({
    entity: "store",
    fields: ["id", "default_sales_channel_id", "default_location_id", "supported_currencies.*"],
  })
  const store = stores[0] as any
  const storeCurrencies: string[] = (store?.supported_currencies ?? []).map((c: any) =>
    String(c.currency_code).toLowerCase()
  )

  // Sales channel
  const salesChannelId: string | null = options.salesChannelId ?? store?.default_sales_channel_id ?? null
  if (options.salesChannelId) {
    const [channel] = await container
      .resolve(Modules.SALES_CHANNEL)
      .listSalesChannels({ id: options.salesChannelId }, { take: 1 })
    if (!channel) {
      throw new Error(
        `Sales channel ${options.salesChannelId} (option salesChannelId) does not exist: choose an existing sales channel, or clear the setting to use the store's default channel.`
      )
    }
  }
  if (!salesChannelId) {
    warnings.push(
      "The store has no default sales channel and no salesChannelId is set: imported products are in no sales channel and cannot be bought. Set salesChannelId (option or settings page)."
    )
  }

  // Stock location(s)
  const mapped = Object.keys(options.locationMap).length > 0
  let stockLocationId: string | null = null
  if (!mapped) {
    stockLocationId = options.defaultStockLocationId ?? store?.default_location_id ?? null
    if (!stockLocationId) {
      const { data: all } = await query.graph({ entity: "stock_location", fields: ["id", "name", "sales_channels.id"] })
      const inChannel = (all as any[]).filter((l) => (l.sales_channels ?? []).some((s: any) => s.id === salesChannelId))
      if (inChannel.length === 1) stockLocationId = inChannel[0].id
      else if (all.length === 1) stockLocationId = (all[0] as any).id
      else if (all.length === 0) {
        if (opts.dryRun)
          warnings.push(
            "The store has no stock location: the import creates one mirroring TradeGecko's primary location and sells from it."
          )
        else stockLocationId = await stockLocationFromTradegecko(container, store.id)
      } else {
        throw new Error(
          `The store has ${all.length} stock locations and none is chosen to receive TradeGecko stock: set defaultStockLocationId (option or settings page), the store's default location, or a locationMap.`
        )
      }
    }
  }

  // Every receiving location must be linked to the sales channel, or its stock cannot be sold there.
  const receiving = mapped ? [...new Set(Object.values(options.locationMap))] : stockLocationId ? [stockLocationId] : []
  if (salesChannelId && receiving.length) {
    const { data: locations } = await query.graph({
      entity: "stock_location",
      fields: ["id", "name", "sales_channels.id"],
      filters: { id: receiving },
    })
    for (const id of receiving) {
      const loc = (locations as any[]).find((l) => l.id === id)
      if (!loc) {
        throw new Error(
          `Stock location ${id} (defaultStockLocationId/locationMap) does not exist: choose an existing stock location.`
        )
      }
      if ((loc.sales_channels ?? []).some((s: any) => s.id === salesChannelId)) continue
      if (opts.dryRun) {
        warnings.push(
          `Stock location "${loc.name}" (${id}) is not linked to sales channel ${salesChannelId}, so its stock cannot be sold there: the import links it.`
        )
      } else {
        await linkSalesChannelsToStockLocationWorkflow(container).run({ input: { id, add: [salesChannelId] } })
        warnings.push(
          `Stock location "${loc.name}" (${id}) was not linked to sales channel ${salesChannelId}; it has been linked so its stock can be sold there.`
        )
      }
    }
  }

  const priceLists = opts.prices ? await resolvePriceLists(container, storeCurrencies, warnings) : []
  const profiles = await container.resolve(Modules.FULFILLMENT).listShippingProfiles({ type: "default" }, { take: 1 })

  return {
    priceLists,
    locationMap: options.locationMap,
    defaultStockLocationId: stockLocationId ?? "",
    syncFromTag: options.syncFromTag ?? null,
    salesChannelId,
    shippingProfileId: profiles[0]?.id ?? null,
    warnings,
  }
}

export const resolveCatalogContextStep = createStep(
  "resolve-tradegecko-catalog-context",
  async (input: { dryRun: boolean }, { container }) => {
    return new StepResponse(await resolveCatalogContext(container, { dryRun: input.dryRun, prices: true }))
  }
)
