/**
 * `npm run soak`: orders pushed to TradeGecko through faults and an outage — nothing lost,
 * nothing duplicated. This process owns a fresh database (DB_HOST's server when set, else
 * embedded Postgres) and the TradeGecko sandbox; the Medusa app runs
 * `medusa exec ./bench/soak-orders.ts` (see there for the phases) against both. Then the
 * result is checked here, from the sandbox's own orders and the app's database:
 *   duplicated = Medusa orders whose reference (#display_id) has more than one TradeGecko order
 *   lost       = Medusa orders without exactly one TradeGecko order (none, or duplicated),
 *                or whose order link does not point at it; plus captures (→ paid) and
 *                cancels (→ void) made in Medusa during the outage that TradeGecko lacks
 * and printed as a table; exit code 1 when anything was lost or duplicated.
 *
 * Env: SOAK_ORDERS (1000), SOAK_FAULT_RATE (0.2), SOAK_DOWN_SECONDS (30), SOAK_DOWN_ORDERS
 * (10 % of SOAK_ORDERS), SOAK_CONCURRENCY (8 checkouts at a time), SOAK_TICK_SECONDS (5),
 * SOAK_TIMEOUT_SECONDS (client request timeout, 2), SOAK_DOWN_CAPTURES / SOAK_DOWN_CANCELS
 * (Medusa-side captures / cancels during the outage, each 5 % of SOAK_ORDERS, at least 4),
 * SOAK_VERBOSE=1 (the app's output).
 */
import { spawn } from "node:child_process"
import path from "node:path"
import { startSandbox } from "../sandbox/index" // the file: the package's main (dist/) exists only in the packed sandbox
import { benchPostgres } from "./lib/postgres"

const { Client } = require("pg")

const root = path.resolve(__dirname, "..")
const TOKEN = "sandbox-privileged-token"
const TIMEOUT_SECONDS = Number(process.env.SOAK_TIMEOUT_SECONDS || 2)

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, onLine?: (line: string) => void) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    let partial = ""
    const take = (chunk: Buffer) => {
      const text = chunk.toString()
      out += text
      if (out.length > 64 * 1024 * 1024) out = out.slice(-32 * 1024 * 1024)
      partial += text
      const lines = partial.split("\n")
      partial = lines.pop() ?? ""
      for (const l of lines) onLine?.(l)
    }
    child.stdout.on("data", take)
    child.stderr.on("data", take)
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, out }))
  })
}

async function sandboxOrders(url: string) {
  const statuses = ["draft", "active", "finalized", "fulfilled", "void", "deleted"]
    .map((s) => `status[]=${s}`)
    .join("&")
  const orders: any[] = []
  for (let page = 1; ; page++) {
    const res = await fetch(`${url}/orders?limit=250&page=${page}&${statuses}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    if (!res.ok) throw new Error(`GET /orders page ${page} → ${res.status}`)
    const body = (await res.json()) as any
    orders.push(...body.orders)
    if (body.orders.length < 250) break
  }
  return orders
}

async function main() {
  const started = Date.now()
  const postgres = await benchPostgres()
  // A small catalog (the soak is about orders): 20 products × 3 variants.
  const sandbox = await startSandbox({ port: 0, seed: { products: 20, variantsPerProduct: 3, seed: 7 } })
  const name = `tg_soak_${Date.now()}`
  // a throw-away database: no waiting for the disk on commit (as embedded Postgres runs here)
  const databaseUrl = await postgres.createDatabase(name, ["synchronous_commit = off"])
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TRADEGECKO_BASE_URL: sandbox.url,
    TRADEGECKO_PRIVILEGED_TOKEN: TOKEN,
    TRADEGECKO_SYNC_SCHEDULE: "off",
    TRADEGECKO_REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS),
    // the retry job's tick (real: 60 s); the soak wakes it every SOAK_TICK_SECONDS, and every second while draining
    TRADEGECKO_JOB_TICK_SECONDS: "1",
    MEDUSA_DISABLE_TELEMETRY: "true",
    LOG_LEVEL: process.env.SOAK_VERBOSE ? "info" : "error",
    NODE_OPTIONS: "",
  }
  // In-process event bus: `medusa exec` runs as a server instance, and only the local bus
  // delivers events to subscribers there (a Redis bus would leave them to a worker).
  for (const k of ["DB_HOST", "DB_PORT", "DB_USERNAME", "DB_PASSWORD", "REDIS_URL", "TRADEGECKO_REDIS_INFRA"])
    delete env[k]
  const medusa = path.join(root, "node_modules/.bin/medusa")
  let result: any
  let log: any
  let sbOrders: any[] = []
  let medusaOrders: any[] = []
  let links: any[] = []
  try {
    process.stderr.write(`[soak] migrating ${name}...\n`)
    const mig = await run(medusa, ["db:migrate"], env)
    if (mig.code !== 0) throw new Error(`medusa db:migrate failed:\n${mig.out.slice(-4000)}`)
    const out = await run(medusa, ["exec", "./bench/soak-orders.ts"], env, (l) => {
      if (process.env.SOAK_VERBOSE || l.startsWith("[soak]")) process.stderr.write(l + "\n")
    })
    const line = out.out.split("\n").find((l) => l.startsWith("SOAK_RESULT "))
    if (!line) throw new Error(`the soak printed no result (exit ${out.code}):\n${out.out.slice(-6000)}`)
    result = JSON.parse(line.slice("SOAK_RESULT ".length))

    // What the sandbox saw (the child cleared the log when the faults went on).
    const reqRes = await fetch(`${sandbox.url}/__sandbox/requests`)
    log = await reqRes.json()
    sbOrders = await sandboxOrders(sandbox.url)

    const client = new Client({ connectionString: databaseUrl })
    await client.connect()
    medusaOrders = (await client.query(`select id, display_id from "order" where deleted_at is null`)).rows
    links = (
      await client.query(
        `select order_id, status, tradegecko_order_id, reference, attempts from tradegecko_order_link where deleted_at is null`
      )
    ).rows
    await client.end()
  } finally {
    await sandbox.close()
    await postgres.release(name)
  }

  // ---- verification, from the sandbox's orders
  const byRef = new Map<string, any[]>()
  for (const o of sbOrders) {
    const ref = String(o.reference_number ?? "")
    byRef.set(ref, [...(byRef.get(ref) ?? []), o])
  }
  const linkByOrder = new Map(links.map((l) => [l.order_id, l]))
  const placedIds = new Set<string>(result.placedOrderIds)
  let pushed = 0
  let duplicated = 0
  let lost = 0
  const problems: string[] = []
  for (const o of medusaOrders) {
    const ref = `#${o.display_id}`
    const tg = byRef.get(ref) ?? []
    const link = linkByOrder.get(o.id)
    if (tg.length > 1) {
      duplicated++
      problems.push(`${ref} (${o.id}): ${tg.length} TradeGecko orders ${tg.map((x) => x.id).join(", ")}`)
    }
    if (tg.length === 1 && link?.status === "pushed" && Number(link.tradegecko_order_id) === Number(tg[0].id)) pushed++
    else {
      lost++
      if (tg.length <= 1)
        problems.push(
          `${ref} (${o.id}): ${tg.length} TradeGecko orders, link ${link ? `${link.status} → ${link.tradegecko_order_id}` : "missing"}`
        )
    }
  }
  // ---- Medusa-side captures and cancellations made during the outage: each one reached TradeGecko
  const refOf = new Map(medusaOrders.map((o) => [o.id, `#${o.display_id}`]))
  // (the log's `path` is normalised to /orders/:id/…; its `url` names the order)
  const successfulActions = (log.entries as any[])
    .map((e) => ({ ...e, path: String(e.url ?? e.path).split("?")[0] }))
    .filter(
      (e) =>
        e.method === "POST" && /^\/orders\/\d+\/actions\/(pay|void)$/.test(e.path) && e.status >= 200 && e.status < 300
    )
  let statusSent = 0
  let statusLost = 0
  const statusCheck = (ids: string[], action: "pay" | "void", holds: (o: any) => boolean) => {
    for (const id of ids ?? []) {
      const ref = refOf.get(id)
      const [tgOrder] = byRef.get(ref ?? "") ?? []
      if (tgOrder && holds(tgOrder)) statusSent++
      else {
        statusLost++
        problems.push(
          `${ref} (${id}): ${action} made in Medusa during the outage is not in TradeGecko (${tgOrder ? `status ${tgOrder.status}, payment ${tgOrder.payment_status}` : "no TradeGecko order"})`
        )
      }
      const calls = tgOrder
        ? successfulActions.filter((e) => e.path === `/orders/${tgOrder.id}/actions/${action}`).length
        : 0
      if (calls > 1)
        problems.push(`${ref} (${id}): ${calls} successful ${action} calls (idempotency key replays are fine)`)
    }
  }
  statusCheck(result.capturedOrderIds, "pay", (o) => o.payment_status === "paid")
  statusCheck(result.canceledOrderIds, "void", (o) => o.status === "void" || o.status === "deleted")
  lost += statusLost
  const medusaRefs = new Set(medusaOrders.map((o) => `#${o.display_id}`))
  const strays = sbOrders.filter((o) => !medusaRefs.has(String(o.reference_number ?? "")))
  if (strays.length)
    problems.push(
      `${strays.length} TradeGecko orders match no Medusa order: ${strays
        .slice(0, 5)
        .map((o) => `${o.id} ${o.reference_number}`)
        .join(", ")}`
    )
  const notPlaced = medusaOrders.filter((o) => !placedIds.has(o.id)).length

  const statuses: Record<string, number> = {}
  for (const e of log.entries as any[]) statuses[e.status] = (statuses[e.status] ?? 0) + 1
  const apiCalls = (log.entries as any[]).length
  const faultsApplied = (result.faultRules as any[])
    .map(
      (f) =>
        `${f.mode === "delay" ? `late answer (${f.delayMs} ms)` : f.mode === "hang" ? `hang (${f.hangMs} ms)` : f.mode} ×${f.applied}`
    )
    .join(", ")
  const faultTotal = (result.faultRules as any[]).reduce((a, f) => a + f.applied, 0)
  const faultMatched = (result.faultRules as any[])[0]?.matched ?? 0
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
  const ok =
    lost === 0 && duplicated === 0 && strays.length === 0 && result.drained && medusaOrders.length === result.placed

  const rows: Array<[string, string]> = [
    [
      "orders placed (real Medusa checkouts, completeCartWorkflow)",
      `${result.placed} (${result.orders} under faults + ${result.downOrders} during the outage)`,
    ],
    [
      "Medusa orders in the database",
      `${medusaOrders.length}${notPlaced ? ` (${notPlaced} not reported placed)` : ""}`,
    ],
    [
      "faults injected (20 % target)",
      `${faultTotal} of ${faultMatched} TradeGecko calls while faults were on (${((100 * faultTotal) / Math.max(1, faultMatched)).toFixed(1)} %): ${faultsApplied}`,
    ],
    [
      "outage (connections reset)",
      `${s(result.downMs)} (asked ${result.downSeconds} s); order links when it ended: ${Object.entries(result.phase2)
        .map(([k, v]) => `${v} ${k}`)
        .join(", ")}`,
    ],
    ["pushed (exactly one TradeGecko order, linked)", `${pushed} / ${medusaOrders.length}`],
    ["duplicated", `${duplicated}`],
    [
      "captures / cancels made in Medusa during the outage",
      `${(result.capturedOrderIds ?? []).length} / ${(result.canceledOrderIds ?? []).length}; status changes when it ended: ${
        Object.entries(result.phase2Changes ?? {})
          .map(([k, v]) => `${v} ${k}`)
          .join(", ") || "none"
      }`,
    ],
    [
      "…in TradeGecko afterwards (paid / void)",
      `${statusSent} / ${(result.capturedOrderIds ?? []).length + (result.canceledOrderIds ?? []).length} (${successfulActions.length} successful pay/void calls)`,
    ],
    ["lost (orders + status changes)", `${lost}`],
    ["TradeGecko orders not from a Medusa order", `${strays.length}`],
    ["429s seen by the plugin (client counter)", `${result.client.rateLimited} (sandbox sent ${statuses["429"] ?? 0})`],
    [
      "client retries / timeouts and drops",
      `${result.client.retries} retries; sandbox log: ${statuses["0"] ?? 0} dropped connections, ${statuses["500"] ?? 0}×500, ${statuses["503"] ?? 0}×503, ${statuses["409"] ?? 0}×409`,
    ],
    [
      "pushes needing more than one attempt",
      `${result.attempts.moreThanOne} (max ${result.attempts.max} attempts for one order)`,
    ],
    [
      "TradeGecko API calls (all kinds)",
      `${apiCalls} (${(apiCalls / Math.max(1, result.placed)).toFixed(2)} per order)`,
    ],
    [
      "time to place the faulted orders",
      `${s(result.placeMs)} (${result.concurrency} checkouts at a time); all pushed or failed at ${s(result.phase1Ms)}`,
    ],
    [
      "time to drain after recovery",
      `${result.drained ? s(result.drainMs) : `NOT drained after ${s(result.drainMs)}`} (${result.drainTicks} retry-job runs)`,
    ],
    ["checkout completions retried", `${result.checkoutRetries}`],
  ]
  const table = ["| | |", "|---|---|", ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join("\n")
  console.log(`
Soak: ${result.placed} orders, ${Math.round(result.faultRate * 100)} % TradeGecko faults, then ${s(result.downMs)} down and back (client timeout ${TIMEOUT_SECONDS} s)

${table}

${ok ? "OK: nothing lost, nothing duplicated" : "FAILED"} — whole run ${s(Date.now() - started)}${problems.length ? `\n${problems.slice(0, 30).join("\n")}` : ""}
`)
  console.log(
    `SOAK_JSON ${JSON.stringify({ ...result, placedOrderIds: undefined, capturedOrderIds: undefined, canceledOrderIds: undefined, statusSent, statusLost, pushed, duplicated, lost, strays: strays.length, sandboxStatuses: statuses, apiCalls })}`
  )
  process.exit(ok ? 0 : 1)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
