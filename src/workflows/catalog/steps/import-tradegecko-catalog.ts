import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { updateProductVariantsWorkflow } from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { SYNC_RUN_ITEM_ID_PREFIX } from "../../../modules/tradegecko/id-prefixes"
import { newEntityId } from "../../../lib/entity-ids"
import {
  findDuplicateSkus,
  outcomeOf,
  planCatalogChanges,
  sharedSkuNote,
  withNotes,
  type CatalogPlan,
  type PlannedProduct,
} from "../../../mappings/plan-catalog-changes"
import { refreshGrownTableStatistics } from "../../../lib/table-statistics"
import { HeapHeadroom } from "../../../lib/heap-headroom"
import { upsertTradegeckoProductsWorkflow } from "../upsert-tradegecko-products"
import type { CatalogContext } from "./resolve-catalog-context"
import { loadCatalogState } from "./load-catalog-state"
import {
  fetchTradegeckoCatalog,
  fullCatalogPages,
  PAGE_SIZE,
  readAhead,
  type FetchCatalogInput,
  type FetchedCatalog,
} from "./fetch-tradegecko-catalog"

export interface ImportCatalogInput {
  runId: string
  dryRun: boolean
  context: CatalogContext
}

export interface ImportCatalogStepInput extends FetchCatalogInput {
  runId: string
  /** Products per page of a full import (default and maximum 250). */
  pageSize?: number
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

/** Products per Medusa batch (one upsert workflow run each): one page of a full import. */
export const BATCH_SIZE = PAGE_SIZE
/** Planned products a write run keeps for its answer (a dry run keeps all: they are its answer). */
export const PLANNED_KEPT = 1000

/** One batch of the catalog: products with all their variants and images. */
type CatalogBatch = Pick<FetchedCatalog, "products" | "variants" | "images" | "readAt"> & {
  /** Products in the run, when known before the end (progress). */
  totalProducts?: number
  /** SKUs already known to be shared across the whole run (a fetched-first catalog). */
  duplicateSkus?: Record<string, number[]>
}

/** A fetched-first catalog (incremental or targeted run) as batches of BATCH_SIZE products. */
async function* catalogBatches(catalog: FetchedCatalog): AsyncGenerator<CatalogBatch, void, undefined> {
  const duplicateSkus = findDuplicateSkus(catalog.variants)
  const products = [...catalog.products].sort((a, b) => a.id - b.id)
  for (let i = 0; i < products.length; i += BATCH_SIZE) {
    const batch = products.slice(i, i + BATCH_SIZE)
    const ids = new Set(batch.map((p) => p.id))
    yield {
      products: batch,
      variants: catalog.variants.filter((v) => ids.has(v.product_id)),
      images: catalog.images.filter(
        (im) => im.product_id !== null && im.product_id !== undefined && ids.has(im.product_id)
      ),
      readAt: catalog.readAt,
      totalProducts: products.length,
      duplicateSkus,
    }
  }
}

async function runBatch(
  container: MedusaContainer,
  input: ImportCatalogInput,
  batch: CatalogBatch,
  duplicateSkus: Record<string, number[]>
) {
  const planInput = {
    products: batch.products,
    variants: batch.variants,
    images: batch.images,
    context: input.context,
    duplicateSkus,
    stockReadAt: batch.readAt ?? null,
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
 * The SKUs of this run's variants, to find a SKU shared by variants of two different
 * batches: the later batch learns it here (also in a dry run, which writes no links),
 * and the earlier batch, which already gave the SKU to its Medusa variant, is corrected
 * at the end of the run (clearSkusFoundShared).
 */
class RunSkus {
  private holder = new Map<string, number>()
  /** SKU → the variants of earlier batches that turned out to share it with a later batch. */
  readonly sharedLate = new Map<string, Set<number>>()
  /** SKU found shared late → every variant of the run carrying it. */
  readonly holders = new Map<string, Set<number>>()

  /** The shared-SKU note of the planner, for the earlier batches' products that could not know it yet. */
  noteLateShares(planned: PlannedProduct[]) {
    for (const p of planned) {
      const notes = p.variants.flatMap((v) =>
        v.sku && this.sharedLate.get(v.sku)?.has(v.tradegeckoVariantId)
          ? [sharedSkuNote(v.sku, this.holders.get(v.sku)!)]
          : []
      )
      if (notes.length) p.message = withNotes(p.message, notes)
    }
  }

  duplicatesFor(batch: CatalogBatch): Record<string, number[]> {
    const out: Record<string, number[]> = { ...(batch.duplicateSkus ?? findDuplicateSkus(batch.variants)) }
    for (const v of batch.variants) {
      const sku = v.sku?.trim()
      const earlier = sku ? this.holder.get(sku) : undefined
      if (!sku || earlier === undefined || earlier === v.id) continue
      out[sku] = [...new Set([...(out[sku] ?? []), earlier, v.id])].sort((a, b) => a - b)
      this.sharedLate.set(sku, (this.sharedLate.get(sku) ?? new Set()).add(earlier))
      this.holders.set(sku, (this.holders.get(sku) ?? new Set([earlier])).add(v.id))
    }
    for (const v of batch.variants) {
      const sku = v.sku?.trim()
      if (sku && !this.holder.has(sku)) this.holder.set(sku, v.id)
    }
    return out
  }
}

/**
 * Applies the catalog batch by batch (a full import: page by page as TradeGecko returns
 * them, fetched one page ahead). A failing batch is retried product by product so one
 * bad record fails alone, with its error in words. Each product's outcome is stored as
 * a sync-run item; progress and heartbeat are updated after every batch. The dry run
 * plans the same batches and writes nothing but the run record.
 */
export async function importTradegeckoCatalog(
  container: MedusaContainer,
  input: ImportCatalogInput,
  batches: AsyncIterable<CatalogBatch>
) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
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
  const skus = new RunSkus()
  let processed = 0
  let totalRecorded: number | undefined
  // a big import's garbage is collected as it goes (docs/production.md → memory)
  const heap = new HeapHeadroom(tradegecko.getOptions().importHeapHeadroomMb).start()

  try {
    for await (const batch of batches) {
      const total = batch.totalProducts ?? processed + batch.products.length
      if (total !== totalRecorded) {
        await tradegecko.updateTradegeckoSyncRuns({ id: input.runId, total })
        totalRecorded = total
      }
      const duplicateSkus = skus.duplicatesFor(batch)
      const createdBefore = counts.created
      const items: any[] = []
      const record = (p: PlannedProduct, productIds: Record<string, string>) => {
        const outcome = outcomeOf(p)
        counts[outcome]++
        if (p.changes.some((c) => c.startsWith("hidden"))) counts.hidden++
        if (p.changes.some((c) => c.startsWith("shown"))) counts.shown++
        counts.stock_changes += p.variants.reduce((n, v) => n + Object.keys(v.stockChanges).length, 0)
        if (input.dryRun || planned.length < PLANNED_KEPT) planned.push(p)
        items.push({
          id: newEntityId(SYNC_RUN_ITEM_ID_PREFIX),
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
        for (const product of batch.products) {
          try {
            const one = {
              ...batch,
              products: [product],
              variants: batch.variants.filter((v) => v.product_id === product.id),
              images: batch.images.filter((im) => im.product_id === product.id),
            }
            const { plan, productIds } = await runBatch(container, input, one, duplicateSkus)
            plan.products.forEach((p) => record(p, productIds))
          } catch (e) {
            counts.failed++
            items.push({
              id: newEntityId(SYNC_RUN_ITEM_ID_PREFIX),
              run_id: input.runId,
              record_type: "product",
              tradegecko_id: product.id,
              outcome: "failed",
              message: (e as Error).message ?? String(e),
            })
          }
        }
      }
      processed += batch.products.length
      if (items.length) await tradegecko.createTradegeckoSyncRunItems(items)
      await tradegecko.updateTradegeckoSyncRuns({
        id: input.runId,
        processed,
        heartbeat_at: new Date(),
        counts: { ...counts },
      })
      // a first import doubles Medusa's tables many times over: keep the planner's view of them current
      // (only after batches that created products: a webhook's stock update grows nothing)
      if (!input.dryRun && counts.created > createdBefore) await refreshGrownTableStatistics(container)
    }
  } finally {
    heap.stop()
  }
  if (totalRecorded !== processed) await tradegecko.updateTradegeckoSyncRuns({ id: input.runId, total: processed })
  if (skus.sharedLate.size) {
    // the dry run's answer says what the write run will do; the write run corrects Medusa and its records
    if (input.dryRun) skus.noteLateShares(planned)
    else await clearSkusFoundShared(container, input.runId, skus.sharedLate)
  }
  return { counts, planned }
}

/**
 * A SKU found shared only by a later batch was already given, by an earlier batch of
 * the same run, to that batch's Medusa variant: it is taken off again (Medusa's
 * updateProductVariantsWorkflow), so the run ends as if both had been seen together,
 * and the earlier product's outcome says why.
 */
async function clearSkusFoundShared(container: MedusaContainer, runId: string, shared: Map<string, Set<number>>) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const links = await tradegecko.listTradegeckoVariantLinks({
    tradegecko_variant_id: [...shared.values()].flatMap((ids) => [...ids]),
  })
  if (!links.length) return
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["id", "sku", "product_id"],
    filters: { id: links.map((l) => l.variant_id) },
  })
  const clear = (data as any[]).filter((v) => v.sku && shared.has(v.sku))
  if (!clear.length) return
  await updateProductVariantsWorkflow(container).run({
    input: { product_variants: clear.map((v) => ({ id: v.id, sku: null })) },
  })
  const [variantLinks, productLinks] = await Promise.all([
    tradegecko.listTradegeckoVariantLinks({ sku: clear.map((v) => v.sku) }),
    tradegecko.listTradegeckoProductLinks({ product_id: clear.map((v) => v.product_id) }),
  ])
  for (const product of productLinks) {
    const notes = clear
      .filter((v) => v.product_id === product.product_id)
      .map((v) =>
        sharedSkuNote(
          v.sku,
          variantLinks.filter((l) => l.sku === v.sku).map((l) => Number(l.tradegecko_variant_id))
        )
      )
    const [item] = await tradegecko.listTradegeckoSyncRunItems({
      run_id: runId,
      tradegecko_id: Number(product.tradegecko_product_id),
    })
    if (item) {
      await tradegecko.updateTradegeckoSyncRunItems({
        id: item.id,
        message: withNotes(item.message, notes),
      })
    }
  }
}

/**
 * Fetches what the run needs from TradeGecko and applies it, in one step: the catalog
 * stays inside the step (step inputs and outputs are serialized and deep-walked by the
 * workflow engine, which for a 10,000-variant catalog cost more than the writes;
 * profiled). A full import streams: one page of products with its variants is in memory
 * at a time, the next page is fetched while this one is written. An incremental or
 * targeted run fetches what changed first (few records), then writes. Each batch is its
 * own upsertTradegeckoProductsWorkflow, compensated as a whole when it fails; a run killed mid-way is abandoned and the next run takes over,
 * matching what was already written by its links and SKUs.
 */
export const importTradegeckoCatalogStep = createStep(
  "import-tradegecko-catalog",
  async ({ runId, dryRun, context, since, scope, pageSize }: ImportCatalogStepInput, { container }) => {
    const client = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getClient()
    const batches =
      since || scope
        ? catalogBatches(await fetchTradegeckoCatalog(client, { since, scope }))
        : readAhead(fullCatalogPages(client, Math.min(Math.max(1, pageSize ?? PAGE_SIZE), PAGE_SIZE)))
    return new StepResponse(await importTradegeckoCatalog(container, { runId, dryRun, context }, batches))
  }
)
