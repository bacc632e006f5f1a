import { Modules } from "@medusajs/framework/utils"
import type { LinkDefinition } from "@medusajs/framework/types"
import { newEntityId } from "../../../lib/entity-ids"
import { deleteLinkRows, insertNewLinks, type InsertedLinkRows } from "../../../lib/link-rows"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export interface CreateCatalogProductsInput {
  /** Product inputs as the planner builds them for Medusa (CreateProductDTO with variants, prices, sales_channels, shipping_profile_id). */
  create: any[]
}

export interface CreatedCatalogProducts {
  /** Created Medusa product id per handle. */
  productIds: Record<string, string>
  /** Per created variant: its TradeGecko id, Medusa id and inventory item. */
  variants: Array<{ tradegecko_variant_id: number; variant_id: string; inventory_item_id: string | null }>
}

type Undo = { productIds: string[]; inventoryItemIds: string[]; priceSetIds: string[]; links: InsertedLinkRows }

/**
 * Creates new TradeGecko products in Medusa with one bulk call per module, what
 * Medusa's createProductsWorkflow does for them, without its nested workflows
 * (profiled: the engine's serializing of every nested step's input and output cost
 * more than the writes): products with their options, variants and images → one
 * inventory item per variant (as Medusa's default item: sku, title, requires_shipping)
 * → one price set per variant → the links variant↔inventory item, variant↔price set,
 * product↔sales channel and product↔shipping profile, inserted as rows (insertNewLinks:
 * all their records are new, so none can be linked yet). Emitting `product.created` is
 * the workflow's (emitEventStep), as in Medusa's own workflow.
 * Compensation deletes the link rows and what it created.
 */
export const createCatalogProductsStep = createStep(
  "create-tradegecko-catalog-products",
  async ({ create }: CreateCatalogProductsInput, { container }) => {
    const empty: CreatedCatalogProducts = { productIds: {}, variants: [] }
    if (!create.length)
      return new StepResponse(empty, { productIds: [], inventoryItemIds: [], priceSetIds: [], links: {} } as Undo)
    const productModule = container.resolve(Modules.PRODUCT)
    const inventory = container.resolve(Modules.INVENTORY)
    const pricing = container.resolve(Modules.PRICING)
    const undo: Undo = { productIds: [], inventoryItemIds: [], priceSetIds: [], links: {} }

    try {
      const products = await productModule.createProducts(
        create.map(({ sales_channels: _s, shipping_profile_id: _p, ...p }) => ({
          ...p,
          id: newEntityId("prod"),
          images: (p.images ?? []).map((image: any) => ({ id: newEntityId("img"), ...image })),
          variants: (p.variants ?? []).map(({ prices: _x, ...v }: any) => ({ id: newEntityId("variant"), ...v })),
        }))
      )
      undo.productIds = products.map((p) => p.id)

      // Variants in input order (the product module keeps it per product, but match by the
      // TradeGecko id to be sure).
      const variants: Array<{ variant: any; input: any }> = []
      products.forEach((product, i) => {
        const byTg = new Map((product.variants ?? []).map((v: any) => [Number(v.metadata?.tradegecko_variant_id), v]))
        for (const input of create[i].variants ?? []) {
          const variant = byTg.get(Number(input.metadata?.tradegecko_variant_id))
          if (variant) variants.push({ variant, input })
        }
      })

      const managed = variants.filter(({ variant }) => variant.manage_inventory)
      const items = managed.length
        ? await inventory.createInventoryItems(
            managed.map(({ variant }) => ({
              id: newEntityId("iitem"),
              sku: variant.sku ?? undefined,
              title: variant.title,
              description: variant.title,
              requires_shipping: true,
            }))
          )
        : []
      undo.inventoryItemIds = items.map((i) => i.id)
      const itemOf = new Map(managed.map(({ variant }, i) => [variant.id, items[i].id]))

      const priceSets = await pricing.createPriceSets(
        variants.map(({ input }) => ({
          id: newEntityId("pset"),
          prices: (input.prices ?? []).map((price: any) => ({ id: newEntityId("price"), ...price })),
        }))
      )
      undo.priceSetIds = priceSets.map((s) => s.id)

      const links: LinkDefinition[] = []
      variants.forEach(({ variant }, i) => {
        links.push({
          [Modules.PRODUCT]: { variant_id: variant.id },
          [Modules.PRICING]: { price_set_id: priceSets[i].id },
        })
        const item = itemOf.get(variant.id)
        if (item)
          links.push({
            [Modules.PRODUCT]: { variant_id: variant.id },
            [Modules.INVENTORY]: { inventory_item_id: item },
            data: { required_quantity: 1 },
          })
      })
      products.forEach((product, i) => {
        for (const sc of create[i].sales_channels ?? [])
          links.push({
            [Modules.PRODUCT]: { product_id: product.id },
            [Modules.SALES_CHANNEL]: { sales_channel_id: sc.id },
          })
        if (create[i].shipping_profile_id) {
          links.push({
            [Modules.PRODUCT]: { product_id: product.id },
            [Modules.FULFILLMENT]: { shipping_profile_id: create[i].shipping_profile_id },
          })
        }
      })
      undo.links = await insertNewLinks(container, links)

      const out: CreatedCatalogProducts = {
        productIds: Object.fromEntries(products.map((p) => [p.handle, p.id])),
        variants: variants.map(({ variant }) => ({
          tradegecko_variant_id: Number(variant.metadata?.tradegecko_variant_id),
          variant_id: variant.id,
          inventory_item_id: itemOf.get(variant.id) ?? null,
        })),
      }
      return new StepResponse(out, undo)
    } catch (e) {
      // A failure inside the step is undone here: the engine compensates only steps that returned.
      await undoCreate(container, undo).catch(() => undefined)
      throw e
    }
  },
  async (undo, { container }) => {
    if (undo) await undoCreate(container, undo)
  }
)

async function undoCreate(container: any, undo: Undo) {
  await deleteLinkRows(container, undo.links)
  if (undo.priceSetIds.length) await container.resolve(Modules.PRICING).deletePriceSets(undo.priceSetIds)
  if (undo.inventoryItemIds.length)
    await container.resolve(Modules.INVENTORY).deleteInventoryItems(undo.inventoryItemIds)
  if (undo.productIds.length) await container.resolve(Modules.PRODUCT).deleteProducts(undo.productIds)
}
