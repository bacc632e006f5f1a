import { parseExpression } from "cron-parser"

/**
 * The latest tick of a cron schedule at or before `now`. The scheduled job runs every
 * minute and starts a catalog run when no scheduled run has started since that tick,
 * so the schedule comes from the plugin options (a job's own schedule is fixed at
 * import time) and a tick missed during a restart is caught up.
 */
export function lastTick(schedule: string, now: Date): Date {
  const it = parseExpression(schedule, { currentDate: new Date(now.getTime() + 1000), utc: true })
  return it.prev().toDate()
}

export function isDue(schedule: string, lastScheduledStart: Date | null, now: Date): boolean {
  const tick = lastTick(schedule, now)
  return !lastScheduledStart || lastScheduledStart.getTime() < tick.getTime()
}
