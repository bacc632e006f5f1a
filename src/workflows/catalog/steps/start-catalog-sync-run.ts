import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"

export interface StartCatalogSyncRunInput {
  runId: string
  trigger: "schedule" | "webhook" | "manual" | "event" | "checkout"
  dryRun: boolean
  /** Targeted run (one product / some variants); null = full or incremental catalog run. */
  scope: { product_ids?: number[]; variant_ids?: number[] } | null
  /** Force a full import even when an earlier run succeeded. */
  full?: boolean
  /** Products per page (and per write batch) of a full import: 1–250, default 250. */
  pageSize?: number
}

/** A running catalog run beats this often (see startCatalogSync); TRADEGECKO_HEARTBEAT_SECONDS, default 15. */
export const HEARTBEAT_MS = Math.max(1, Number(process.env.TRADEGECKO_HEARTBEAT_SECONDS) || 15) * 1000
/** A "running" catalog run that missed four heartbeats died (kill -9, OOM, deploy); its lock is freed. */
export const STALE_RUN_MS = 4 * HEARTBEAT_MS

/** `updated_at_min` for an incremental run: the start of the last good run, minus an overlap. */
export async function incrementalSince(container: MedusaContainer): Promise<Date | null> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [last] = await tradegecko.listTradegeckoSyncRuns(
    { kind: "catalog", status: ["succeeded", "partial"], dry_run: false },
    { order: { started_at: "DESC" }, take: 1 }
  )
  return last ? new Date(last.started_at.getTime() - 60_000) : null
}

/** The catalog run holding the lock, if one is running with a recent heartbeat. */
export async function findActiveCatalogRun(container: MedusaContainer, now = new Date()) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const running = await tradegecko.listTradegeckoSyncRuns({ kind: "catalog", status: "running", dry_run: false })
  return running.find((run) => now.getTime() - (run.heartbeat_at ?? run.started_at).getTime() <= STALE_RUN_MS) ?? null
}

export function catalogRunConflict(runId?: string) {
  return new MedusaError(
    MedusaError.Types.CONFLICT,
    `A TradeGecko catalog sync is already running${runId ? ` (${runId})` : ""}`
  )
}

/**
 * Records the run and takes the catalog lock: Postgres allows one "running" catalog
 * run at a time (unique partial index), across every server and worker process.
 * Compensation marks the run failed, which releases the lock.
 */
export const startCatalogSyncRunStep = createStep(
  "start-tradegecko-catalog-sync-run",
  async (input: StartCatalogSyncRunInput, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const kind = input.scope ? "product" : "catalog"
    const now = new Date()

    if (kind === "catalog" && !input.dryRun) {
      const running = await tradegecko.listTradegeckoSyncRuns({ kind: "catalog", status: "running", dry_run: false })
      for (const run of running) {
        const beat = (run.heartbeat_at ?? run.started_at).getTime()
        if (now.getTime() - beat > STALE_RUN_MS) {
          await tradegecko.updateTradegeckoSyncRuns({
            id: run.id,
            status: "failed",
            finished_at: now,
            error: `abandoned: no heartbeat for ${Math.round((now.getTime() - beat) / 1000)} s (the process running it died)`,
          })
        }
      }
    }

    const since = kind === "catalog" && !input.full ? await incrementalSince(container) : null
    try {
      await tradegecko.createTradegeckoSyncRuns({
        id: input.runId,
        kind,
        trigger: input.trigger,
        status: "running",
        started_at: now,
        heartbeat_at: now,
        dry_run: input.dryRun,
        since,
        scope: input.scope,
        counts: {},
      })
    } catch (e) {
      if (/unique|duplicate/i.test(String((e as Error).message))) {
        const [other] = await tradegecko.listTradegeckoSyncRuns({ kind: "catalog", status: "running", dry_run: false })
        throw catalogRunConflict(other?.id)
      }
      throw e
    }
    return new StepResponse({ runId: input.runId, since: since?.toISOString() ?? null }, input.runId)
  },
  async (runId, { container }) => {
    if (!runId) return
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [run] = await tradegecko.listTradegeckoSyncRuns({ id: runId })
    if (run?.status === "running") {
      await tradegecko.updateTradegeckoSyncRuns({
        id: runId,
        status: "failed",
        finished_at: new Date(),
        error: run.error ?? "aborted",
      })
    }
  }
)
