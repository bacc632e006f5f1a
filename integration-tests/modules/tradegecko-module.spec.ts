import path from "node:path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type TradegeckoModuleService from "../../src/modules/tradegecko/service"
import { claimScheduledTick } from "../../src/lib/scheduled-tick"

jest.setTimeout(120_000)

const moduleDir = path.resolve(__dirname, "../../src/modules/tradegecko")

moduleIntegrationTestRunner<TradegeckoModuleService>({
  moduleName: "tradegecko",
  resolve: moduleDir,
  pathToMigrations: path.join(moduleDir, "migrations"),
  moduleOptions: {
    baseUrl: "http://127.0.0.1:4010/",
    privilegedToken: "module-test-token",
    checkoutFreshnessSeconds: 120,
    locationMap: { "1": "sloc_main" },
  },
  testSuite: ({ service, MikroOrmWrapper }) => {
    describe("Scheduled jobs: one claim per tick", () => {
      it("gives each scheduled tick to exactly one of many concurrent claimers", async () => {
        const container = { resolve: () => service } as any
        const now = new Date("2026-11-23T10:07:30Z")
        const claims = await Promise.all(
          Array.from({ length: 12 }, () => claimScheduledTick(container, "catalog-sync", "*/5 * * * *", now))
        )
        expect(claims.filter(Boolean)).toEqual([new Date("2026-11-23T10:05:00Z")])
        // the next tick is claimable again, another job's tick is independent
        expect(
          await claimScheduledTick(container, "catalog-sync", "*/5 * * * *", new Date("2026-11-23T10:10:01Z"))
        ).toEqual(new Date("2026-11-23T10:10:00Z"))
        expect(await claimScheduledTick(container, "order-reconcile", "*/5 * * * *", now)).toEqual(
          new Date("2026-11-23T10:05:00Z")
        )
        expect(await claimScheduledTick(container, "order-retry", { interval: 60_000 }, now)).toEqual(
          new Date("2026-11-23T10:07:00Z")
        )
        expect(
          await claimScheduledTick(container, "order-retry", { interval: 60_000 }, new Date("2026-11-23T10:07:59Z"))
        ).toBeNull()
        expect(await claimScheduledTick(container, "catalog-sync", "off", now)).toBeNull()
        expect(await service.listTradegeckoJobTicks({ job: "catalog-sync" })).toHaveLength(2)
      })
    })

    describe("Module options", () => {
      it("parses options with defaults and exposes them through getOptions()", () => {
        const options = service.getOptions()
        expect(options.baseUrl).toBe("http://127.0.0.1:4010")
        expect(options.checkoutFreshnessSeconds).toBe(120)
        expect(options.defaultPriceList).toBeUndefined()
        expect(options.orderSyncLevel).toBe("push_and_status")
        expect(options.productSyncSchedule).toBe("0 * * * *")
        expect(options.locationMap).toEqual({ "1": "sloc_main" })
      })
    })

    describe("Sync runs in Postgres", () => {
      it("runs the generated migration that creates tradegecko_sync_run", async () => {
        const em = MikroOrmWrapper.forkManager()
        const rows = await em
          .getConnection()
          .execute(
            "select column_name from information_schema.columns where table_name = 'tradegecko_sync_run' order by column_name"
          )
        const columns = (rows as Array<{ column_name: string }>).map((r) => r.column_name)
        expect(columns).toEqual(
          expect.arrayContaining(["id", "kind", "trigger", "status", "started_at", "finished_at", "counts", "error"])
        )
      })

      it("stores sync runs and returns the latest one per kind", async () => {
        await service.createTradegeckoSyncRuns([
          { kind: "catalog", trigger: "schedule", started_at: new Date("2026-01-01T00:00:00Z") },
          {
            kind: "catalog",
            trigger: "manual",
            status: "succeeded",
            started_at: new Date("2026-01-02T00:00:00Z"),
            counts: { created: 3 },
          },
          { kind: "order_push", trigger: "event", started_at: new Date("2026-01-03T00:00:00Z") },
        ])

        const latestCatalog = await service.getLatestSyncRun("catalog")
        expect(latestCatalog?.trigger).toBe("manual")
        expect(latestCatalog?.counts).toEqual({ created: 3 })
        expect(latestCatalog?.id).toMatch(/^tgrun_/)

        const latestAny = await service.getLatestSyncRun()
        expect(latestAny?.kind).toBe("order_push")
        expect(latestAny?.status).toBe("running")
      })

      it("rejects a sync run with an unknown kind", async () => {
        await expect(
          service.createTradegeckoSyncRuns({
            kind: "nonsense" as never,
            trigger: "manual",
            started_at: new Date(),
          })
        ).rejects.toThrow()
        expect(await service.listTradegeckoSyncRuns({})).toHaveLength(0)
      })
    })
  },
})
