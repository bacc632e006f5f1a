import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import {
  findDuplicateSkus,
  outcomeOf,
  planCatalogChanges,
  type CatalogPlan,
  type PlannedProduct,
} from "../../../mappings/plan-catalog-changes"
import { upsertTradegeckoProductsWorkflow } from "../upsert-tradegecko-products"
import type { CatalogContext } from "./resolve-catalog-context"
import { loadCatalogState } from "./load-catalog-state"
import { fetchTradegeckoCatalog, type FetchCatalogInput, type FetchedCatalog } from "./fetch-tradegecko-catalog"

export interface ImportCatalogInput {
  runId: string
  dryRun: boolean
  catalog: FetchedCatalog
  context: CatalogContext
}

export interface ImportCatalogStepInput extends FetchCatalogInput {
  runId: string
  dryRun: boolean
  context: CatalogContext
}

export interface CatalogCounts {
  created: number
  updated: number
  unchanged: number
  skipped: number
  failed: number
  hidden: number
  shown: number
  stock_changes: number
}

/** Products per Medusa batch (one batchProductsWorkflow run each). */
export const BATCH_SIZE = 250
/** Batches applied at the same time. */
export const BATCH_CONCURRENCY = Number(process.env.TRADEGECKO_BATCH_CONCURRENCY || 1)

async function runBatch(
  container: MedusaContainer,
  input: ImportCatalogInput,
  products: FetchedCatalog["products"],
  duplicateSkus: Record<string, number[]>
) {
  const ids = new Set(products.map((p) => p.id))
  const planInput = {
    products,
    variants: input.catalog.variants.filter((v) => ids.has(v.product_id)),
    images: input.catalog.images.filter(
      (i) => i.product_id !== null && i.product_id !== undefined && ids.has(i.product_id)
    ),
    context: input.context,
    duplicateSkus,
    stockReadAt: input.catalog.readAt ?? null,
  }
  if (input.dryRun) {
    return {
      plan: planCatalogChanges(planInput, await loadCatalogState(container, planInput)),
      productIds: {} as Record<string, string>,
    }
  }
  const { result } = await upsertTradegeckoProductsWorkflow(container).run({ input: planInput })
  return result as { plan: CatalogPlan; productIds: Record<string, string> }
}

/**
 * Applies the fetched catalog in batches of BATCH_SIZE products. A failing batch is
 * retried product by product so one bad record fails alone, with its error in words.
 * Each product's outcome is stored as a sync-run item; progress and heartbeat are
 * updated after every batch. The dry run plans the same batches and writes nothing
 * but the run record.
 */
export async function importTradegeckoCatalog(container: MedusaContainer, input: ImportCatalogInput) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const duplicateSkus = findDuplicateSkus(input.catalog.variants)
  const counts: CatalogCounts = {
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    hidden: 0,
    shown: 0,
    stock_changes: 0,
  }
  const planned: PlannedProduct[] = []
  const products = [...input.catalog.products].sort((a, b) => a.id - b.id)
  await tradegecko.updateTradegeckoSyncRuns({ id: input.runId, total: products.length })

  const batches: Array<typeof products> = []
  for (let i = 0; i < products.length; i += BATCH_SIZE) batches.push(products.slice(i, i + BATCH_SIZE))

  let processed = 0
  const applyBatch = async (batch: typeof products) => {
    const items: any[] = []
    const record = (p: PlannedProduct, productIds: Record<string, string>) => {
      const outcome = outcomeOf(p)
      counts[outcome]++
      if (p.changes.some((c) => c.startsWith("hidden"))) counts.hidden++
      if (p.changes.some((c) => c.startsWith("shown"))) counts.shown++
      counts.stock_changes += p.variants.reduce((n, v) => n + Object.keys(v.stockChanges).length, 0)
      planned.push(p)
      items.push({
        run_id: input.runId,
        record_type: "product",
        tradegecko_id: p.tradegeckoProductId,
        medusa_id: productIds[String(p.tradegeckoProductId)] ?? p.productId,
        outcome,
        message: p.message,
        changes: {
          changes: p.changes,
          stock: Object.fromEntries(
            p.variants
              .filter((v) => Object.keys(v.stockChanges).length)
              .map((v) => [v.tradegeckoVariantId, v.stockChanges])
          ),
        },
      })
    }
    try {
      const { plan, productIds } = await runBatch(container, input, batch, duplicateSkus)
      plan.products.forEach((p) => record(p, productIds))
    } catch {
      for (const product of batch) {
        try {
          const { plan, productIds } = await runBatch(container, input, [product], duplicateSkus)
          plan.products.forEach((p) => record(p, productIds))
        } catch (e) {
          counts.failed++
          items.push({
            run_id: input.runId,
            record_type: "product",
            tradegecko_id: product.id,
            outcome: "failed",
            message: (e as Error).message ?? String(e),
          })
        }
      }
    }
    processed += batch.length
    if (items.length) await tradegecko.createTradegeckoSyncRunItems(items)
    await tradegecko.updateTradegeckoSyncRuns({
      id: input.runId,
      processed,
      heartbeat_at: new Date(),
      counts: { ...counts },
    })
  }

  // One batch at a time by default: the work is CPU-bound in this process (measured:
  // two in flight were slower on 2 cores); TRADEGECKO_BATCH_CONCURRENCY raises it.
  let next = 0
  const worker = async () => {
    while (next < batches.length) await applyBatch(batches[next++])
  }
  await Promise.all(Array.from({ length: Math.min(BATCH_CONCURRENCY, batches.length) }, worker))
  return { counts, planned }
}

/**
 * Fetches what the run needs from TradeGecko and applies it, in one step: the catalog
 * stays inside the step (step inputs and outputs are serialized and deep-walked by the
 * workflow engine, which for a 10,000-variant catalog cost more than the writes;
 * profiled). Each batch is its own upsertTradegeckoProductsWorkflow, compensated as a
 * whole when it fails; a run killed mid-way is abandoned and the next run takes over,
 * matching what was already written by its links and SKUs.
 */
export const importTradegeckoCatalogStep = createStep(
  "import-tradegecko-catalog",
  async ({ runId, dryRun, context, since, scope }: ImportCatalogStepInput, { container }) => {
    const client = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getClient()
    const catalog = await fetchTradegeckoCatalog(client, { since, scope })
    return new StepResponse(await importTradegeckoCatalog(container, { runId, dryRun, context, catalog }))
  }
)
