import { isDue, lastTick } from "../schedule"

describe("Scheduled jobs: cron ticks", () => {
  const now = new Date("2026-11-23T10:17:30Z")
  it("finds the last tick of the configured cron", () => {
    expect(lastTick("0 * * * *", now).toISOString()).toBe("2026-11-23T10:00:00.000Z")
    expect(lastTick("*/5 * * * *", now).toISOString()).toBe("2026-11-23T10:15:00.000Z")
  })
  it("is due when no scheduled run started since the last tick", () => {
    expect(isDue("0 * * * *", null, now)).toBe(true)
    expect(isDue("0 * * * *", new Date("2026-11-23T09:00:05Z"), now)).toBe(true)
    expect(isDue("0 * * * *", new Date("2026-11-23T10:00:05Z"), now)).toBe(false)
  })
})
