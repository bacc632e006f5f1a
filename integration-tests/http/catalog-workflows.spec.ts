import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import path from "node:path"
import type { PlanInput } from "../../src/mappings/plan-catalog-changes"
import { findDuplicateSkus } from "../../src/mappings/plan-catalog-changes"
import { createCatalogProductsStep } from "../../src/workflows/catalog/steps/create-catalog-products"
import { planCatalogBatchStep } from "../../src/workflows/catalog/steps/plan-catalog"
import { resolveCatalogContext } from "../../src/workflows/catalog/steps/resolve-catalog-context"
import { refreshGrownTableStatistics } from "../../src/lib/table-statistics"
import { deleteLinkRows, insertNewLinks } from "../../src/lib/link-rows"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"

jest.setTimeout(240_000)

/**
 * The catalog's bulk create step undoes what it wrote when a later step of the same
 * workflow fails (asserted in Postgres): products with their variants, inventory items,
 * price sets and the links between them. The step between the write and the failure
 * reads the written state, so an undo that does nothing cannot pass.
 */
const tg = useSandbox({ seed: { products: 3, variantsPerProduct: 2, seed: 1 } })

let seen: Awaited<ReturnType<typeof readCatalog>> | null = null
const readStep = createStep("test-catalog-read-between", async (_: void, { container }) => {
  seen = await readCatalog(container)
  return new StepResponse(null)
})
const failingStep = createStep("test-catalog-later-step-fails", async () => {
  throw new Error("a later step failed")
})

/** What Medusa holds of the TradeGecko catalog: counted per module and per link. */
async function readCatalog(container: any) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "metadata", "inventory_items.inventory_item_id", "price_set.id"],
  })
  const tgVariants = (variants as any[]).filter((v) => v.metadata?.tradegecko_variant_id)
  const { data: products } = await query.graph({
    entity: "product",
    fields: ["id", "sales_channels.id", "shipping_profile.id"],
  })
  return {
    products: (products as any[]).length,
    variants: tgVariants.length,
    inventoryItems: (await container.resolve(Modules.INVENTORY).listInventoryItems({})).length,
    priceSets: (await container.resolve(Modules.PRICING).listPriceSets({})).length,
    variantItemLinks: tgVariants.filter((v) => v.inventory_items?.length).length,
    variantPriceLinks: tgVariants.filter((v) => v.price_set?.id).length,
    channelLinks: (products as any[]).filter((p) => p.sales_channels?.length).length,
    profileLinks: (products as any[]).filter((p) => p.shipping_profile?.id).length,
  }
}

/** The catalog batch as the import step hands it to the upsert workflow. */
async function planInput(container: any): Promise<PlanInput> {
  const products = (await tg.api("GET", "/products?status[]=active&status[]=disabled&limit=250")).body.products
  const variants = (await tg.api("GET", "/variants?limit=250")).body.variants
  const images = (await tg.api("GET", "/images?limit=250")).body.images
  const context = await resolveCatalogContext(container, { dryRun: false, prices: true })
  return { products, variants, images, context, duplicateSkus: findDuplicateSkus(variants), stockReadAt: null }
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ getContainer }) => {
    describe("catalog: compensation", () => {
      it("the bulk create's products, variants, inventory items, price sets and links are deleted when a later step fails", async () => {
        const container = getContainer()
        await seedStore(container)
        // the shipping profile every store has (Medusa's seed makes it): new products are linked to it
        await container.resolve(Modules.FULFILLMENT).createShippingProfiles({ name: "Default", type: "default" })
        const before = await readCatalog(container)
        const input = await planInput(container)
        expect(input.context.shippingProfileId).toEqual(expect.any(String))

        const wf = createWorkflow("test-create-catalog-products-then-fail", (input: PlanInput) => {
          const plan = planCatalogBatchStep(input)
          createCatalogProductsStep({ create: plan.create } as any)
          readStep()
          failingStep()
          return new WorkflowResponse(null)
        })
        const { errors } = await wf(container).run({ input, throwOnError: false })
        expect(errors.map((e: any) => e.error?.message)).toEqual(["a later step failed"])

        // what the step wrote: three products, six variants, each with its item, price set and links
        expect(seen).toEqual({
          products: before.products + 3,
          variants: 6,
          inventoryItems: before.inventoryItems + 6,
          priceSets: before.priceSets + 6,
          variantItemLinks: 6,
          variantPriceLinks: 6,
          channelLinks: before.channelLinks + 3,
          profileLinks: before.profileLinks + 3,
        })
        // and after the failure: nothing of it
        expect(await readCatalog(container)).toEqual(before)
      })
    })

    describe("catalog: links of new records inserted as rows", () => {
      it("a pair of modules with no link between them is refused by name; a failed insert leaves no row of the call", async () => {
        const container = getContainer()
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const [product] = await container
          .resolve(Modules.PRODUCT)
          .createProducts([{ title: "Link rows", variants: [{ title: "Only" }] } as any])
        const [channel] = await container.resolve(Modules.SALES_CHANNEL).createSalesChannels([{ name: "Links" }])
        const rows = async () => ({
          channel: (await pg("product_sales_channel").where({ product_id: product.id })).length,
          price: (await pg("product_variant_price_set").where({ variant_id: product.variants[0].id })).length,
        })

        await expect(
          insertNewLinks(container, [
            { [Modules.PRODUCT]: { product_id: product.id }, [Modules.CUSTOMER]: { customer_id: "cus_1" } },
          ])
        ).rejects.toThrow(`No link table between ${Modules.PRODUCT} (product_id) and ${Modules.CUSTOMER} (customer_id)`)
        expect(await rows()).toEqual({ channel: 0, price: 0 })

        // the channel link goes in first; the same variant ↔ price set pair twice then breaks the second table's key
        const pair = {
          [Modules.PRODUCT]: { variant_id: product.variants[0].id },
          [Modules.PRICING]: { price_set_id: "pset_x" },
        }
        await expect(
          insertNewLinks(container, [
            {
              [Modules.PRODUCT]: { product_id: product.id },
              [Modules.SALES_CHANNEL]: { sales_channel_id: channel.id },
            },
            pair,
            pair,
          ])
        ).rejects.toThrow(/duplicate key/)
        expect(await rows()).toEqual({ channel: 0, price: 0 })

        // and a good call is read back by Medusa's own query
        await insertNewLinks(container, [
          { [Modules.PRODUCT]: { product_id: product.id }, [Modules.SALES_CHANNEL]: { sales_channel_id: channel.id } },
        ])
        const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
          entity: "product",
          fields: ["id", "sales_channels.id"],
          filters: { id: product.id },
        })
        expect((data as any[])[0].sales_channels.map((c: any) => c.id)).toEqual([channel.id])
      })
    })

    describe("catalog: link rows tell what link.create and link.dismiss tell", () => {
      it("inserting and deleting the rows emits the link module's attached and detached events, as Medusa's own calls do", async () => {
        const container = getContainer()
        const eventBus: any = container.resolve(Modules.EVENT_BUS)
        const [a, b] = await container
          .resolve(Modules.PRODUCT)
          .createProducts([{ title: "Events A" }, { title: "Events B" }] as any)
        const [channel] = await container.resolve(Modules.SALES_CHANNEL).createSalesChannels([{ name: "Events" }])
        const pair = (product: any) => ({
          [Modules.PRODUCT]: { product_id: product.id },
          [Modules.SALES_CHANNEL]: { sales_channel_id: channel.id },
        })
        const linkEvents = async (action: () => Promise<unknown>) => {
          const emit = jest.spyOn(eventBus, "emit")
          try {
            await action()
            return emit.mock.calls
              .flatMap(([messages]: any) => (Array.isArray(messages) ? messages : [messages]))
              .filter((m: any) => /\.(attached|detached)$/.test(m.name))
              .map((m: any) => ({ name: m.name, metadata: m.metadata, data: m.data }))
          } finally {
            emit.mockRestore()
          }
        }
        const link = container.resolve(ContainerRegistrationKeys.LINK)
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const rowId = async (product: any) =>
          (await pg("product_sales_channel").where({ product_id: product.id }).whereNull("deleted_at"))[0]?.id

        const medusaAttached = await linkEvents(() => link.create([pair(a)]))
        const oursAttached = await linkEvents(() => insertNewLinks(container, [pair(b)]))
        expect(medusaAttached).toHaveLength(1)
        expect(medusaAttached[0].data).toEqual({ id: await rowId(a) })
        expect(oursAttached).toEqual([
          { name: medusaAttached[0].name, metadata: medusaAttached[0].metadata, data: { id: await rowId(b) } },
        ])

        const idOfB = await rowId(b)
        const medusaDetached = await linkEvents(() => link.dismiss([pair(a)]))
        const oursDetached = await linkEvents(() =>
          deleteLinkRows(container, { product_sales_channel: { ids: [idOfB], ...pick(oursAttached[0]) } })
        )
        expect(medusaDetached).toHaveLength(1)
        expect(oursDetached).toEqual([
          { name: medusaDetached[0].name, metadata: medusaDetached[0].metadata, data: { id: idOfB } },
        ])
        expect(await rowId(b)).toBeUndefined()
      })
    })

    describe("catalog: planner statistics after a bulk import", () => {
      it("the tables an import grew are analyzed (then not again until they grow again)", async () => {
        const container = getContainer()
        await seedStore(container)
        await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
        const lastAnalyze = async () =>
          (
            await pg.raw(
              "select last_analyze from pg_stat_user_tables where relname = 'product_variant_price_set' and schemaname = current_schema()"
            )
          ).rows[0]?.last_analyze ?? null

        // Postgres publishes a connection's row counts within a second or so of its commit
        let result = { analyzed: [] as string[] }
        for (let i = 0; i < 40 && !result.analyzed.some((t) => t.endsWith(".product_variant_price_set")); i++) {
          await new Promise((r) => setTimeout(r, 500))
          result = await refreshGrownTableStatistics(container, 1)
        }
        expect(result).toEqual({
          analyzed: expect.arrayContaining([expect.stringMatching(/\.product_variant_price_set$/)]),
        })
        const analyzedAt = await lastAnalyze()
        expect(analyzedAt).not.toBeNull()
        // nothing changed since: the same table is left alone
        expect((await refreshGrownTableStatistics(container, 1)).analyzed).not.toContainEqual(
          expect.stringMatching(/\.product_variant_price_set$/)
        )
        expect(await lastAnalyze()).toEqual(analyzedAt)
      })
    })
  },
})

/** The entity and source of a link event, as insertNewLinks records them. */
function pick(event: { metadata: { object: string; source: string } }) {
  return { entity: event.metadata.object, source: event.metadata.source }
}
