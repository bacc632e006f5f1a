/**
 * `npm run bench`: measured side by side in one run, printed as ratios (never asserted).
 *
 * Catalog: a sandbox catalog of BENCH_PRODUCTS (2,000) × BENCH_VARIANTS (5) is imported
 *  (a) by Medusa's own importProductsWorkflow from a CSV of the same catalog, and
 *  (b) by this plugin's full catalog sync, each into its own fresh database,
 * then an hourly incremental run with 1 % of the products changed.
 *
 * Postgres: DB_HOST's server when set, else embedded Postgres.
 */
import { execFile } from "node:child_process"
import path from "node:path"
import { promisify } from "node:util"
import { startSandbox } from "../sandbox/index" // the file: the package's main (dist/) exists only in the packed sandbox
import { benchPostgres } from "./lib/postgres"

const root = path.resolve(__dirname, "..")
// Async on purpose: the sandbox serves from this process while the app runs.
const run = promisify(execFile)
const PRODUCTS = Number(process.env.BENCH_PRODUCTS || 2000)
const VARIANTS = Number(process.env.BENCH_VARIANTS || 5)

async function main() {
  const postgres = await benchPostgres()
  const sandbox = await startSandbox({ port: 0, seed: { products: PRODUCTS, variantsPerProduct: VARIANTS, seed: 7 } })
  const results: Record<string, any> = {}
  try {
    for (const mode of (process.env.BENCH_MODES ? process.env.BENCH_MODES.split(",") : ["medusa", "plugin"]) as Array<
      "medusa" | "plugin"
    >) {
      await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ seed: { products: PRODUCTS, variantsPerProduct: VARIANTS, seed: 7 } }),
      })
      const name = `tg_bench_${mode}_${Date.now()}`
      const env = {
        ...process.env,
        DATABASE_URL: await postgres.createDatabase(name),
        TRADEGECKO_BASE_URL: sandbox.url,
        TRADEGECKO_SYNC_SCHEDULE: "off",
        MEDUSA_DISABLE_TELEMETRY: "true",
        LOG_LEVEL: "error",
        NODE_OPTIONS: "",
      }
      for (const k of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD"]) delete (env as any)[k]
      const medusa = path.join(root, "node_modules/.bin/medusa")
      process.stderr.write(`[bench] ${mode}: migrating ${name}...\n`)
      await run(medusa, ["db:migrate"], { cwd: root, env, maxBuffer: 256 * 1024 * 1024 })
      process.stderr.write(`[bench] ${mode}: importing ${PRODUCTS} products × ${VARIANTS} variants...\n`)
      // BENCH_NODE_ARGS: node flags for the importing process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
      const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(" ") : []
      const [cmd, args] = nodeArgs.length
        ? [
            process.execPath,
            [...nodeArgs, require.resolve("@medusajs/cli/cli.js"), "exec", "./bench/catalog-import.ts", mode],
          ]
        : [medusa, ["exec", "./bench/catalog-import.ts", mode]]
      const out = await run(cmd, args, { cwd: root, env, maxBuffer: 256 * 1024 * 1024 }).catch(
        (e) => e as { stdout: string; stderr: string }
      )
      if (process.env.BENCH_VERBOSE) process.stderr.write(out.stdout + out.stderr)
      const line = (out.stdout + out.stderr).split("\n").find((l) => l.includes("BENCH_RESULT "))
      if (!line) throw new Error(`${mode} run printed no result:\n${(out.stdout + out.stderr).slice(-4000)}`)
      results[mode] = JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13))
    }
  } finally {
    await sandbox.close()
    await postgres.release()
  }

  const m = results.medusa
  const p = results.plugin
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  if (m && p)
    console.log(`
Catalog import: ${PRODUCTS} products × ${VARIANTS} variants (sandbox seed 7), one run, same machine
  Medusa importProductsWorkflow (CSV) : ${s(m.ms)}  (${m.imported} products)
  plugin full catalog sync            : ${s(p.ms)}  (${p.imported} products, ${p.variantLinks} variant links, stock levels, images)
  ratio plugin ÷ Medusa               : ${(p.ms / m.ms).toFixed(2)}   (target ≤ 0.80)
  TradeGecko calls, full import       : ${p.calls}   (issue #18's target ≤ ${Math.ceil(PRODUCTS / 250) + Math.ceil((PRODUCTS * VARIANTS) / 250)} + image pages + 5; variants come with their product pages)
  hourly run, ${p.incremental.changed} products changed   : ${s(p.incremental.ms)}, ${p.incremental.calls} calls (target ≤ 5), ${p.incremental.counts.updated} updated
`)
  if (p) {
    const pages = (n: number) => Math.ceil(n / 250)
    console.log(`Plugin import, ${PRODUCTS} × ${VARIANTS}
  time per product                    : ${(p.ms / PRODUCTS).toFixed(1)} ms  (100k target: ≤ 1.2 × the 2,000-product run's)
  importing process RSS, idle → peak  : ${p.idleRssMiB?.toFixed(0)} MiB → ${p.peakRssMiB?.toFixed(0)} MiB = ${(p.peakRssMiB / p.idleRssMiB).toFixed(2)} × idle (target ≤ 2)
  of which JS heap in use, idle → peak: ${p.idleHeapMiB?.toFixed(0)} MiB → ${p.peakHeapMiB?.toFixed(0)} MiB
  full collections the import forced : ${p.forcedCollections ? `${p.forcedCollections.count}, ${(p.forcedCollections.ms / 1000).toFixed(1)} s = ${((100 * p.forcedCollections.ms) / p.ms).toFixed(1)} % of the import (importHeapHeadroomMb)` : "—"}
  JS heap live after a full collection: ${p.liveHeapMiB ? `${p.liveHeapMiB.toFixed(0)} MiB at most (the rest of the peak is garbage V8 had not collected yet)` : "no full collection during the import"}
  TradeGecko calls                    : ${p.calls}  (target ≤ ceil(P/250) + ceil(V/250) + image pages + 5 = ${pages(PRODUCTS) + pages(PRODUCTS * VARIANTS)} + image pages + 5)
`)
  }
  const c = p?.checkout
  if (c)
    console.log(`Checkout guard (validateCartStock on a 10-line cart, 30 checkouts each)
  fresh stock  : p95 ${c.fresh.p95_ms.toFixed(1)} ms added, ${c.fresh.calls_per_checkout} TradeGecko calls per checkout (target < 10 ms, 0 calls)
  stale stock  : p95 ${c.stale.p95_ms.toFixed(1)} ms added, ${c.stale.calls_per_checkout} TradeGecko calls per checkout (one batched ids[] call)
`)
  const o = p?.orders
  if (o)
    console.log(`Order push (${o.orders} orders, ${o.customers} customers: 70 % of orders from returning customers)
  pushed                    : ${o.pushed} / ${o.orders}
  TradeGecko calls per order: ${o.calls_per_order.toFixed(2)}   (target ≤ 1.3: one create, plus one company lookup per new customer)
  placed → in TradeGecko p95: ${o.p95_ms.toFixed(0)} ms   (target < 1000 ms, loopback)
`)
  console.log(`BENCH_JSON ${JSON.stringify(results)}`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
