/**
 * Runs inside a booted Medusa app (`medusa exec bench/catalog-import.ts <mode>`), see
 * bench/run.ts. Modes:
 *   medusa — Medusa's own product import (importProductsWorkflow's steps) on a CSV of the sandbox catalog
 *   plugin — our full catalog sync, then an hourly-style incremental run with 1 % changed
 * Prints one line `BENCH_RESULT <json>`.
 */
import { constants, PerformanceObserver } from "node:perf_hooks"
import type { ExecArgs } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { batchProductsWorkflow, normalizeCsvStep } from "@medusajs/medusa/core-flows"
import { seedStore } from "../integration-tests/helpers/store"
import { startCatalogSync } from "../src/lib/start-catalog-sync"
import { forcedCollections } from "../src/lib/heap-headroom"
import { validateCartStock } from "../src/workflows"
import { pushOrderToTradegeckoWorkflow } from "../src/workflows/orders/push-order-to-tradegecko"
import { createOrderWorkflow, createRegionsWorkflow } from "@medusajs/medusa/core-flows"

const sandboxUrl = () => process.env.TRADEGECKO_BASE_URL!
const token = () => process.env.TRADEGECKO_PRIVILEGED_TOKEN || "sandbox-privileged-token"

async function tg(path: string) {
  const res = await fetch(`${sandboxUrl()}${path}`, { headers: { authorization: `Bearer ${token()}` } })
  if (!res.ok) throw new Error(`${path} → ${res.status}`)
  return res.json() as Promise<any>
}
async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sandboxUrl()}/__sandbox${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return res.json() as Promise<any>
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? "" : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The sandbox catalog as a Medusa product-import CSV (same products, variants, prices, images). */
async function catalogCsv(salesChannelId: string) {
  const products: any[] = []
  const variants: any[] = []
  const images: any[] = []
  for (let page = 1; ; page++) {
    const r = await tg(`/products?limit=250&page=${page}`)
    products.push(...r.products)
    if (r.products.length < 250) break
  }
  for (let page = 1; ; page++) {
    const r = await tg(`/variants?limit=250&page=${page}`)
    variants.push(...r.variants)
    if (r.variants.length < 250) break
  }
  for (let page = 1; ; page++) {
    const r = await tg(`/images?limit=250&page=${page}`)
    images.push(...r.images)
    if (r.images.length < 250) break
  }
  const header = [
    "Product Handle",
    "Product Title",
    "Product Status",
    "Product Description",
    "Product Sales Channel 1",
    "Product Image 1 Url",
    "Variant Title",
    "Variant Sku",
    "Variant Manage Inventory",
    "Variant Allow Backorder",
    "Variant Option 1 Name",
    "Variant Option 1 Value",
    "Variant Price USD",
  ]
  const rows = [header.join(",")]
  const seenSku = new Set<string>()
  for (const p of products) {
    const img = images.find((i) => i.product_id === p.id)
    for (const v of variants.filter((x) => x.product_id === p.id)) {
      const sku = v.sku && !seenSku.has(v.sku) ? v.sku : ""
      if (sku) seenSku.add(sku)
      rows.push(
        [
          `csv-${p.id}`,
          p.name,
          "published",
          p.description ?? "",
          salesChannelId,
          img ? `${img.base_path}/${img.file_name}` : "",
          v.name,
          sku,
          "true",
          v.keep_selling ? "true" : "false",
          p.opt1 || "Default",
          v.opt1 || v.name,
          v.retail_price ?? "0",
        ]
          .map(csvCell)
          .join(",")
      )
    }
  }
  return { csv: rows.join("\n"), products: products.length, variants: variants.length }
}

async function productCount(container: ExecArgs["container"]) {
  const [, count] = await container.resolve(Modules.PRODUCT).listAndCountProducts({}, { take: 1 })
  return count
}

/**
 * Medusa's own CSV import, measured to the end: importProductsWorkflow is
 * normalizeCsvStep → (wait for the admin's confirmation) → batchProductsWorkflow in the
 * background → notifications. The same two steps run here in the foreground, so the
 * clock stops when products, prices, inventory items and links all exist.
 */
const medusaCsvImportWorkflow = createWorkflow("bench-medusa-csv-import", (input: { fileContent: string }) => {
  const batch = normalizeCsvStep(input.fileContent)
  const result = batchProductsWorkflow.runAsStep({ input: batch })
  return new WorkflowResponse(result)
})

async function runMedusaImport({ container }: ExecArgs) {
  const { salesChannelId } = await seedStore(container)
  const { csv, products, variants } = await catalogCsv(salesChannelId)
  const started = performance.now()
  await medusaCsvImportWorkflow(container).run({ input: { fileContent: csv } })
  const ms = performance.now() - started
  return { mode: "medusa", products, variants, imported: await productCount(container), ms }
}

/** Resident set size now and the process's peak so far, in MiB. */
const rssMiB = () => process.memoryUsage().rss / 1048576
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024

async function runPlugin({ container }: ExecArgs) {
  await seedStore(container)
  await control("DELETE", "/requests")
  // The booted app before the import: what an idle Medusa process holds.
  global.gc?.()
  const idleRss = rssMiB()
  const idleHeap = process.memoryUsage().heapUsed / 1048576
  // what the peak is made of: the JS heap in use (live objects and garbage not yet collected)
  let peakHeap = idleHeap
  const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed / 1048576)), 50)
  // what the import keeps alive: the heap in use right after each full (major) collection
  let liveHeap = 0
  const majorGcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      if ((entry as any).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
        liveHeap = Math.max(liveHeap, process.memoryUsage().heapUsed / 1048576)
  })
  majorGcs.observe({ entryTypes: ["gc"] })
  const t0 = performance.now()
  const full = await startCatalogSync(container, {
    trigger: "manual",
    dryRun: false,
    scope: null,
    pageSize: process.env.BENCH_PAGE_SIZE ? Number(process.env.BENCH_PAGE_SIZE) : undefined,
  }).done
  const fullMs = performance.now() - t0
  clearInterval(sampler)
  majorGcs.disconnect()
  const peakRss = peakRssMiB()
  const forced = { ...forcedCollections }
  const fullCalls = (await control("GET", "/requests")).total

  // an hourly run after 1 % of the products changed stock
  const { products } = await tg(`/products?limit=250`)
  const changed = products.slice(
    0,
    Math.max(1, Math.round((full.counts.created + full.counts.updated + full.counts.unchanged) / 100))
  )
  for (const p of changed)
    await control("POST", `/variants/${p.variant_ids[0]}/stock`, { stock_on_hand: 3, location_id: 1 })
  await control("DELETE", "/requests")
  const t1 = performance.now()
  const inc = await startCatalogSync(container, { trigger: "schedule", dryRun: false, scope: null }).done
  const incMs = performance.now() - t1
  const incCalls = (await control("GET", "/requests")).total

  const [, variantLinks] = await container
    .resolve<any>("tradegecko")
    .listAndCountTradegeckoVariantLinks({}, { take: 1 })
  // BENCH_CATALOG_ONLY: the catalog figures only (profiling, the 100k run)
  const catalogOnly = Boolean(process.env.BENCH_CATALOG_ONLY)
  const checkout = catalogOnly ? null : await guardLatency(args_(container), variantLinks)
  const orders = catalogOnly ? null : await orderPush(container)
  return {
    mode: "plugin",
    counts: full.counts,
    imported: await productCount(container),
    variantLinks,
    ms: fullMs,
    idleRssMiB: idleRss,
    peakRssMiB: peakRss,
    idleHeapMiB: idleHeap,
    peakHeapMiB: peakHeap,
    liveHeapMiB: liveHeap || null,
    forcedCollections: forced,
    calls: fullCalls,
    incremental: { ms: incMs, calls: incCalls, changed: changed.length, counts: inc.counts },
    checkout,
    orders,
  }
}

const args_ = (container: ExecArgs["container"]) => container
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.95) - 1]

/**
 * The checkout guard's added latency (validateCartStock, as the completion hook runs
 * it) for a 10-line cart whose stock is fresh vs stale, and TradeGecko calls per checkout.
 */
async function guardLatency(container: ExecArgs["container"], _links: number) {
  const tradegecko: any = container.resolve("tradegecko")
  // ten variants with stock to sell (the guard would rightly refuse a sold-out line)
  const { data: stocked } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "inventory_level",
    fields: ["inventory_item_id", "stocked_quantity"],
    filters: { stocked_quantity: { $gt: 5 } },
    pagination: { take: 200 },
  } as never)
  const items = new Set((stocked as any[]).map((l) => l.inventory_item_id))
  const links = (await tradegecko.listTradegeckoVariantLinks({}, { take: 500 }))
    .filter((l: any) => items.has(l.inventory_item_id))
    .slice(0, 10)
  const { data: stores } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "store", fields: ["default_sales_channel_id"] })
  const cart = {
    id: "cart_bench",
    sales_channel_id: (stores[0] as any).default_sales_channel_id,
    items: links.map((l: any, i: number) => ({ id: `item_${i}`, variant_id: l.variant_id, quantity: 1 })),
  }
  const measure = async (stale: boolean) => {
    const times: number[] = []
    let calls = 0
    for (let i = 0; i < 30; i++) {
      if (stale) {
        await tradegecko.updateTradegeckoVariantLinks(
          links.map((l: any) => ({ id: l.id, stock_synced_at: new Date(Date.now() - 3_600_000) }))
        )
      }
      const before = (await control("GET", "/requests")).total
      const t = performance.now()
      await validateCartStock(container, cart)
      times.push(performance.now() - t)
      calls += (await control("GET", "/requests")).total - before
    }
    return { p95_ms: p95(times), calls_per_checkout: calls / times.length }
  }
  return { fresh: await measure(false), stale: await measure(true) }
}

/**
 * 200 orders, 60 distinct customers (70 % of the orders from returning customers):
 * TradeGecko calls per pushed order, and p95 time from "order placed" (the moment the
 * order.placed subscriber starts) to the TradeGecko order existing.
 */
async function orderPush(container: ExecArgs["container"]) {
  const tradegecko: any = container.resolve("tradegecko")
  const { data: stores } = await container
    .resolve(ContainerRegistrationKeys.QUERY)
    .graph({ entity: "store", fields: ["default_sales_channel_id"] })
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: { regions: [{ name: "Bench US", currency_code: "usd", countries: ["us"] }] },
  })
  const { data: published } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "product",
    fields: ["variants.id"],
    filters: { status: "published" },
    pagination: { take: 20 },
  } as never)
  const links = (published as any[]).map((p) => ({ variant_id: p.variants[0].id }))
  const N = 200
  const orderIds: string[] = []
  for (let i = 0; i < N; i++) {
    const link = links[i % links.length]
    const { result } = await createOrderWorkflow(container).run({
      input: {
        region_id: region.id,
        sales_channel_id: (stores[0] as any).default_sales_channel_id,
        email: `customer${i % 60}@bench.test`,
        currency_code: "usd",
        items: [{ variant_id: link.variant_id, quantity: 1, title: "Bench item", unit_price: 10 }],
        shipping_address: {
          first_name: "Bench",
          last_name: `Customer ${i % 60}`,
          address_1: "1 Main St",
          city: "Springfield",
          country_code: "us",
          postal_code: "94001",
        },
      } as never,
    })
    orderIds.push(result.id)
  }
  await control("DELETE", "/requests")
  const times: number[] = []
  for (const id of orderIds) {
    const t = performance.now()
    await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId: id } })
    times.push(performance.now() - t)
  }
  const log = await control("GET", "/requests")
  const pushed = (await tradegecko.listTradegeckoOrderLinks({ status: "pushed" }, { take: 1000 })).length
  return {
    orders: N,
    customers: 60,
    pushed,
    calls: log.total,
    calls_per_order: log.total / N,
    counts: log.counts,
    p95_ms: p95(times),
  }
}

export default async function catalogBench(args: ExecArgs) {
  const mode = args.args[0]
  const result = mode === "medusa" ? await runMedusaImport(args) : await runPlugin(args)
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`)
}
