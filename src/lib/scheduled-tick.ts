import os from "node:os"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { lastTick } from "./schedule"

/**
 * How often the plugin's jobs wake up to look at their schedules (the schedules themselves
 * are plugin options, which a job's static config cannot read). Default 60 s; the
 * two-instance test compresses it to seconds.
 */
export const JOB_WAKE_SCHEDULE = { interval: Math.max(1, Number(process.env.TRADEGECKO_JOB_TICK_SECONDS) || 60) * 1000 }

/**
 * Claims the latest tick of `schedule` for `job`, once across every instance (server and
 * workers share Postgres): a row per (job, tick) under a unique index; only the instance
 * whose insert succeeds gets the tick, everyone else gets null. A tick missed while no
 * instance ran is caught up once by the next wake-up.
 */
export async function claimScheduledTick(
  container: MedusaContainer,
  job: string,
  schedule: string | { interval: number },
  now = new Date()
): Promise<Date | null> {
  if (schedule === "off") return null
  const tick =
    typeof schedule === "string"
      ? lastTick(schedule, now)
      : new Date(Math.floor(now.getTime() / schedule.interval) * schedule.interval)
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  try {
    await tradegecko.createTradegeckoJobTicks({ job, tick_at: tick, claimed_by: `${os.hostname()}:${process.pid}` })
    return tick
  } catch (e) {
    const err = e as { type?: string; message?: string; code?: string }
    if (
      err.type === "duplicate_error" ||
      err.code === "23505" ||
      /already exists|duplicate key/i.test(err.message ?? "")
    )
      return null
    throw e
  }
}

/** True when the store has a TradeGecko credential (plugin option, or connected in the admin). */
export async function tradegeckoConnected(container: MedusaContainer): Promise<boolean> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  await tradegecko.getSettings() // loads a connection saved from the admin
  try {
    tradegecko.getClient()
    return true
  } catch {
    return false
  }
}

/**
 * The gate every plugin job passes on waking: nothing when its schedule is "off" or the
 * store is not connected to TradeGecko, else the claimed tick (null: another instance has it).
 */
export async function claimTickIfConnected(
  container: MedusaContainer,
  job: string,
  schedule: string | { interval: number }
): Promise<Date | null> {
  if (schedule === "off" || !(await tradegeckoConnected(container))) return null
  return claimScheduledTick(container, job, schedule)
}
