import path from "node:path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type TradegeckoModuleService from "../../src/modules/tradegecko/service"

jest.setTimeout(120_000)

const moduleDir = path.resolve(__dirname, "../../src/modules/tradegecko")
const PAIR = {
  accessToken: "admin-access",
  refreshToken: "admin-refresh",
  expiresAt: Date.parse("2031-01-01T00:00:00Z"),
}

moduleIntegrationTestRunner<TradegeckoModuleService>({
  moduleName: "tradegecko",
  resolve: moduleDir,
  pathToMigrations: path.join(moduleDir, "migrations"),
  // No privilegedToken option: the store is connected from the admin (its token row).
  moduleOptions: { baseUrl: "http://127.0.0.1:9", clientId: "app-id", clientSecret: "app-secret" },
  testSuite: ({ medusaApp, MikroOrmWrapper }) => {
    // The module instance itself: the runner's `service` proxy would call methods with the
    // proxy as `this`, so the service's caches (settings, connection) would not be its own.
    let service: TradegeckoModuleService
    beforeEach(() => {
      service = medusaApp.modules.tradegecko as TradegeckoModuleService
    })
    const columnsOf = async (table: string) =>
      (
        (await MikroOrmWrapper.forkManager()
          .getConnection()
          .execute(
            `select column_name from information_schema.columns where table_schema = current_schema() and table_name = '${table}'`
          )) as Array<{ column_name: string }>
      ).map((r) => r.column_name)
    const tokenRow = async () => (await service.listTradegeckoConnectionTokens({}, { take: 1 }))[0]

    /** The row completeOAuth writes, made directly (no TradeGecko here). */
    async function connectedWithOAuth() {
      await service.createTradegeckoConnectionTokens({
        connection_type: "oauth",
        oauth_access_token: PAIR.accessToken,
        oauth_refresh_token: PAIR.refreshToken,
        oauth_expires_at: new Date(PAIR.expiresAt),
        connected_at: new Date(),
      })
    }

    describe("connection tokens", () => {
      it("live in their own table: the settings table has no credential column", async () => {
        expect(await columnsOf("tradegecko_connection_token")).toEqual(
          expect.arrayContaining([
            "connection_type",
            "privileged_token",
            "oauth_access_token",
            "oauth_refresh_token",
            "oauth_expires_at",
            "connected_at",
          ])
        )
        const settingsColumns = await columnsOf("tradegecko_settings")
        expect(settingsColumns).toContain("sync_from_tag")
        expect(settingsColumns.filter((c) => /token|connect|oauth/.test(c))).toEqual([])
      })

      it("clearing every setting override keeps the connection", async () => {
        await connectedWithOAuth()
        await service.saveSettings({ syncFromTag: "online", orderSyncLevel: "push" })
        expect(service.getClient().getTokens()).toEqual(PAIR)

        await service.saveSettings({ syncFromTag: null, orderSyncLevel: null })
        expect(await service.getSettingOverrides()).toEqual({})
        expect(await tokenRow()).toMatchObject({
          connection_type: "oauth",
          oauth_access_token: PAIR.accessToken,
          oauth_refresh_token: PAIR.refreshToken,
        })
        expect(service.getClient().getTokens()).toEqual(PAIR)
      })

      it("disconnecting forgets the tokens and keeps the setting overrides", async () => {
        await connectedWithOAuth()
        await service.saveSettings({ syncFromTag: "online", checkoutFreshnessSeconds: 60 })

        await service.disconnect()
        expect(await tokenRow()).toMatchObject({
          connection_type: null,
          oauth_access_token: null,
          oauth_refresh_token: null,
          privileged_token: null,
        })
        expect(() => service.getClient()).toThrow(/not connected to TradeGecko/)
        expect(await service.getSettingOverrides()).toEqual({ syncFromTag: "online", checkoutFreshnessSeconds: 60 })
        expect((await service.getSettings()).syncFromTag).toBe("online")
      })
    })
  },
})
