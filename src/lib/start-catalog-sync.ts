import { generateEntityId } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { syncTradegeckoCatalogWorkflow } from "../workflows/catalog/sync-tradegecko-catalog"
import { HEARTBEAT_MS, type StartCatalogSyncRunInput } from "../workflows/catalog/steps/start-catalog-sync-run"

export type CatalogSyncRequest = Omit<StartCatalogSyncRunInput, "runId">

/**
 * Runs a catalog sync and records any failure on the run in words. Returns the run id
 * at once, `started` (resolves once the run is recorded, rejects if it could not
 * start, e.g. another run holds the lock) and `done` (the outcome), so routes can
 * answer before the run ends.
 */
export function startCatalogSync(container: MedusaContainer, request: CatalogSyncRequest) {
  const runId = generateEntityId(undefined, "tgrun")
  const done = syncTradegeckoCatalogWorkflow(container)
    .run({ input: { ...request, runId } })
    .then(({ result }) => result)
    .catch(async (error: Error) => {
      const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
      const [run] = await tradegecko.listTradegeckoSyncRuns({ id: runId })
      if (run && run.status !== "succeeded" && run.status !== "partial") {
        await tradegecko.updateTradegeckoSyncRuns({
          id: runId,
          status: "failed",
          finished_at: new Date(),
          error: error.message,
        })
      }
      throw error
    })
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const started = (async () => {
    let settled = false
    const finished = done.then(
      () => (settled = true),
      () => (settled = true)
    )
    for (;;) {
      if ((await tradegecko.listTradegeckoSyncRuns({ id: runId })).length) return
      if (settled) return finished.then(() => done).then(() => undefined)
      await new Promise((r) => setTimeout(r, 25))
    }
  })()
  // Callers that never await `started` must not leave an unhandled rejection behind.
  started.catch(() => undefined)
  // The heartbeat tells other instances this run is alive, even inside one long batch;
  // when the process dies it stops, and the next run takes the lock over.
  const heartbeat = setInterval(() => {
    tradegecko
      .listTradegeckoSyncRuns({ id: runId, status: "running" })
      .then(([run]) => (run ? tradegecko.updateTradegeckoSyncRuns({ id: runId, heartbeat_at: new Date() }) : undefined))
      .catch(() => undefined)
  }, HEARTBEAT_MS)
  heartbeat.unref?.()
  done.then(
    () => clearInterval(heartbeat),
    () => clearInterval(heartbeat)
  )
  return { runId, started, done }
}
