import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../../modules/tradegecko/service"
import { parseSettingsUpdate, type SettingsUpdate } from "../../../../modules/tradegecko/options"
import { maskOptions } from "../helpers"
import { describeOptions } from "./describe"
import { resolveCatalogContext } from "../../../../workflows/catalog/steps/resolve-catalog-context"

/**
 * Where the next import would put products and which prices it would write, with what
 * is wrong in words (a price list in a currency the store lacks, an unlinked location...).
 * Writes nothing.
 */
async function describeCatalog(container: MedusaRequest["scope"]) {
  try {
    const context = await resolveCatalogContext(container, { dryRun: true, prices: true })
    return {
      sales_channel_id: context.salesChannelId,
      stock_location_id: context.defaultStockLocationId || null,
      price_lists: context.priceLists.map((l) => ({ price_list_id: l.priceListId, currency_code: l.currencyCode })),
      warnings: context.warnings,
    }
  } catch (e) {
    return { sales_channel_id: null, stock_location_id: null, price_lists: [], warnings: [(e as Error).message] }
  }
}

/** What the form's pickers offer: Medusa stock locations and sales channels, TradeGecko locations and price lists. */
async function choices(req: MedusaRequest, tradegecko: TradegeckoModuleService, connected: boolean) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const [{ data: stockLocations }, { data: salesChannels }] = await Promise.all([
    query.graph({ entity: "stock_location", fields: ["id", "name"] }),
    query.graph({ entity: "sales_channel", fields: ["id", "name"] }),
  ])
  let tradegeckoLocations: Array<{ id: string; name: string }> = []
  let priceLists: Array<{ id: string; name: string; currency: string | null }> = []
  let tradegeckoError: string | null = null
  if (connected) {
    try {
      const client = tradegecko.getCheckoutClient()
      const [locations, lists] = await Promise.all([client.locations.all(), client.priceLists.all()])
      tradegeckoLocations = (locations as any[])
        .filter((l) => l.status !== "archived")
        .map((l) => ({ id: String(l.id), name: String(l.label ?? l.id) }))
      priceLists = (lists as any[])
        .filter((l) => !l.is_cost)
        .map((l) => ({ id: String(l.id), name: String(l.name ?? l.id), currency: l.currency_iso ?? null }))
    } catch (e) {
      tradegeckoError = `TradeGecko did not answer, its locations and price lists are not listed: ${(e as Error).message}`
    }
  }
  return {
    stock_locations: (stockLocations as any[]).map((l) => ({ id: l.id as string, name: l.name as string })),
    sales_channels: (salesChannels as any[]).map((c) => ({ id: c.id as string, name: c.name as string })),
    tradegecko_locations: tradegeckoLocations,
    price_lists: priceLists,
    tradegecko_error: tradegeckoError,
  }
}

async function describe(req: MedusaRequest, tradegecko: TradegeckoModuleService) {
  const connection = await tradegecko.getConnection()
  const effective = await tradegecko.getSettings()
  const { options_list, fields } = describeOptions(tradegecko.getOptions(), await tradegecko.getSettingOverrides())
  return {
    connection,
    options: maskOptions(effective as unknown as Record<string, unknown>),
    editable: fields.map((f) => f.key),
    /** Every option in words, where its value comes from, unset ones with their default. */
    options_list,
    /** The run-time overrides, one form field each. */
    fields,
    choices: await choices(req, tradegecko, connection.connected),
    /** The catalog target: sales channel, stock location, price lists per currency, warnings. */
    catalog: connection.connected ? await describeCatalog(req.scope) : null,
  }
}

/**
 * GET /admin/tradegecko/settings — connection (kind, account name, never the credential),
 * the options in force with secrets masked, and the form of the overrides.
 */
export async function GET(req: MedusaRequest, res: MedusaResponse) {
  res.json({ settings: await describe(req, req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)) })
}

/**
 * Ids the options schema cannot check: a Medusa stock location or sales channel that does
 * not exist is refused (400 naming the field) before anything is saved.
 */
async function checkIds(req: MedusaRequest, body: SettingsUpdate) {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const b = body as Record<string, unknown>
  const problems: string[] = []
  const locationIds = [
    ...(typeof b.defaultStockLocationId === "string" ? [["defaultStockLocationId", b.defaultStockLocationId]] : []),
    ...Object.entries((b.locationMap as Record<string, string> | null) ?? {}).map(([tg, id]) => [
      `locationMap.${tg}`,
      id,
    ]),
  ] as Array<[string, string]>
  if (locationIds.length) {
    const { data } = await query.graph({
      entity: "stock_location",
      fields: ["id"],
      filters: { id: locationIds.map(([, id]) => id) },
    })
    const known = new Set((data as any[]).map((l) => l.id))
    for (const [field, id] of locationIds) if (!known.has(id)) problems.push(`${field}: no Medusa stock location ${id}`)
  }
  if (typeof b.salesChannelId === "string") {
    const { data } = await query.graph({ entity: "sales_channel", fields: ["id"], filters: { id: [b.salesChannelId] } })
    if (!data.length) problems.push(`salesChannelId: no Medusa sales channel ${b.salesChannelId}`)
  }
  if (problems.length)
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `Invalid TradeGecko settings: ${problems.join("; ")}`)
}

/**
 * POST /admin/tradegecko/settings — save overrides (null returns a setting to its plugin
 * option). Validated by the options table's own rules (parseSettingsUpdate) rather than by
 * Medusa's body middleware, whose message leaves out the field of a custom rule ("must be an
 * ISO date…"): every problem is "field: why".
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const update = parseSettingsUpdate(req.body) // 400 naming each bad, unknown or non-overridable field
  await checkIds(req, update)
  await tradegecko.saveSettings(update)
  res.json({ settings: await describe(req, tradegecko) })
}
