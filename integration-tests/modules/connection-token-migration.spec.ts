import path from "node:path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import type TradegeckoModuleService from "../../src/modules/tradegecko/service"
import { Migration20261201154134 as MoveTokensOutOfSettings } from "../../src/modules/tradegecko/migrations/Migration20261201154134"

jest.setTimeout(120_000)

const moduleDir = path.resolve(__dirname, "../../src/modules/tradegecko")
const PAIR = { accessToken: "old-access", refreshToken: "old-refresh", expiresAt: Date.parse("2031-01-01T00:00:00Z") }

let orm: any
const sql = (query: string) => orm.forkManager().getConnection().execute(query)

/** Runs one direction of the migration on the test database, as `medusa db:migrate` would. */
async function run(direction: "up" | "down") {
  const em = orm.forkManager()
  const migration = new MoveTokensOutOfSettings(em.getDriver(), em.config)
  await migration[direction]()
  for (const query of migration.getQueries()) await em.getConnection().execute(query as string)
}

/**
 * An install from before the token table: the OAuth pair in the settings row, next to a
 * merchant override (the old columns, written the old way, by SQL); then the migration.
 */
async function oldInstallMigrated() {
  await sql(`drop table "tradegecko_connection_token"`)
  await sql(
    `alter table "tradegecko_settings" add column "connection_type" text null, add column "privileged_token" text null, add column "oauth_access_token" text null, add column "oauth_refresh_token" text null, add column "oauth_expires_at" timestamptz null, add column "connected_at" timestamptz null`
  )
  await sql(`insert into "tradegecko_settings" ("id", "sync_from_tag", "connection_type", "oauth_access_token", "oauth_refresh_token", "oauth_expires_at", "connected_at")
    values ('tgset_old', 'online', 'oauth', '${PAIR.accessToken}', '${PAIR.refreshToken}', '${new Date(PAIR.expiresAt).toISOString()}', '2026-11-30T10:00:00Z')`)
  await run("up")
}

moduleIntegrationTestRunner<TradegeckoModuleService>({
  moduleName: "tradegecko",
  resolve: moduleDir,
  pathToMigrations: path.join(moduleDir, "migrations"),
  moduleOptions: { baseUrl: "http://127.0.0.1:9", clientId: "app-id", clientSecret: "app-secret" },
  // Before the module starts, so it reads the migrated database as a restarted server would.
  hooks: { beforeModuleInit: oldInstallMigrated },
  testSuite: ({ medusaApp, MikroOrmWrapper }) => {
    orm = MikroOrmWrapper
    // The module instance itself (the runner's `service` proxy would not keep the service's caches).
    let service: TradegeckoModuleService
    beforeEach(() => {
      service = medusaApp.modules.tradegecko as TradegeckoModuleService
    })

    describe("migrating an install connected from the admin", () => {
      it("keeps the connection: the pair moves to the token table, the override stays, the token columns go", async () => {
        const [token] = await service.listTradegeckoConnectionTokens({})
        expect(token).toMatchObject({
          connection_type: "oauth",
          oauth_access_token: PAIR.accessToken,
          oauth_refresh_token: PAIR.refreshToken,
        })
        expect(new Date(token.connected_at!).toISOString()).toBe("2026-11-30T10:00:00.000Z")
        expect(await service.getSettingOverrides()).toEqual({ syncFromTag: "online" })
        const [settings] = await sql(`select * from "tradegecko_settings"`)
        expect(Object.keys(settings).filter((c) => /token|connect|oauth/.test(c))).toEqual([])
        // the connection is in force after the restart
        expect((await service.getConnection()).source).toBe("admin")
        expect(service.getClient().getTokens()).toEqual(PAIR)
      })

      it("rolls back: down() puts the pair back into the settings row and drops the token table", async () => {
        await run("down")
        const [settings] = await sql(`select * from "tradegecko_settings"`)
        expect(settings).toMatchObject({
          id: "tgset_old",
          sync_from_tag: "online",
          connection_type: "oauth",
          oauth_access_token: PAIR.accessToken,
          oauth_refresh_token: PAIR.refreshToken,
        })
        expect(await sql(`select to_regclass('tradegecko_connection_token') as t`)).toEqual([{ t: null }])
      })
    })
  },
})
