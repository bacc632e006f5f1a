import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import path from "node:path"
import { createAdminHeaders } from "../helpers/admin"
import { seedShop } from "../helpers/checkout"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { waitFor } from "../helpers/wait"
import { refreshAccessToken } from "../../src/modules/tradegecko/client"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"

jest.setTimeout(240_000)

// The store is connected with OAuth from the admin (access tokens live 2 h; each refresh rotates the pair).
useAppEnv({ TRADEGECKO_PRIVILEGED_TOKEN: "none", TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test" })
const REDIRECT_URI = "http://shop.example.test/tradegecko/oauth/callback"
const SEED = { products: 4, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED, redirectUri: REDIRECT_URI })

/** How long a process keeps settings (and so the stored connection) before re-reading them. */
const SETTINGS_TTL_MS = 5_000

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>

    async function connectWithOAuth() {
      const started = await api.post("/admin/tradegecko/connect", { type: "oauth" }, { headers })
      const authorize = new URL(started.data.authorize_url)
      const form = new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), decision: "approve" })
      const decision = await fetch(`${tg.sandbox.url}/oauth/authorize`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        redirect: "manual",
      })
      const back = new URL(decision.headers.get("location")!)
      const landed = await api.get(`${back.pathname}${back.search}`, { maxRedirects: 0 }).catch((e: any) => e.response)
      expect(landed.headers.location).toBe("/app/tradegecko?connected=oauth")
    }

    const settingsRow = async () =>
      (await (getContainer().resolve("tradegecko") as any).listTradegeckoConnectionTokens({}, { take: 1 }))[0]

    /**
     * An incremental catalog run whose variant list is held in flight (sandbox delay), so
     * it is in progress when the tokens rotate; when the list arrives it still has to
     * fetch the changed variant's product (a second call on the same client).
     */
    async function catalogRunInProgress(delayMs: number) {
      await tg.control("POST", "/variants/200003", { sku: "TEE-ROTATED" }) // bumps updated_at, not the product's
      await tg.control("POST", "/faults", { mode: "delay", delayMs, methods: ["GET"], path: "^/variants$", count: 1 })
      await tg.clearRequests()
      const run = startCatalogSync(getContainer(), { trigger: "manual", dryRun: false, scope: null })
      await waitFor(
        async () => ((await tg.control("GET", "/requests")).entries as any[]).some((e) => e.path === "/variants"),
        20_000,
        "variant list in flight"
      )
      return run
    }

    beforeEach(async () => {
      headers = (await createAdminHeaders(getContainer())).headers
      await api.post("/admin/tradegecko/disconnect", {}, { headers })
      await connectWithOAuth()
      await seedShop(getContainer(), api, () => tg.control("POST", "/reset", { seed: SEED }))
      await tg.control("DELETE", "/faults")
    })

    describe("Connection: OAuth tokens rotated by another process", () => {
      it("another process rotates the tokens during a catalog run: the run finishes on the same client, with no refresh of its own", async () => {
        const tradegecko: any = getContainer().resolve("tradegecko")
        const client = tradegecko.getClient()
        const run = await catalogRunInProgress(SETTINGS_TTL_MS + 4_000)

        // Another process (a worker) refreshes, as its refresh coordinator does: rotate, then store the pair.
        const row = await settingsRow()
        const { clientId, clientSecret } = tg.sandbox.credentials
        const rotated = await refreshAccessToken({
          baseUrl: tg.sandbox.url,
          clientId,
          clientSecret,
          refreshToken: row.oauth_refresh_token,
        })
        const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
        await pg.raw(
          "update tradegecko_connection_token set oauth_access_token = ?, oauth_refresh_token = ?, oauth_expires_at = ? where id = ?",
          [rotated.accessToken, rotated.refreshToken, new Date(rotated.expiresAt), row.id]
        )
        // This process reads its settings again once they are older than the TTL (every route and checkout does).
        await new Promise((r) => setTimeout(r, SETTINGS_TTL_MS + 200))
        const status = await api.get("/admin/tradegecko/settings", { headers })
        expect(status.data.settings.connection).toMatchObject({ connected: true, credential_type: "oauth" })

        const result = await run.done
        expect(result.status).toBe("succeeded")
        const [saved] = await tradegecko.listTradegeckoSyncRuns({ id: result.run_id })
        expect(saved).toMatchObject({ status: "succeeded", error: null })
        expect(tradegecko.getClient()).toBe(client)
        const counts = await tg.requestCounts()
        expect(counts["POST /oauth/token"] ?? 0).toBe(1) // the other process's refresh only
        expect(counts["GET /products"]).toBeGreaterThanOrEqual(2) // the changed list, then the variant's product
        // the run's later calls went out with the rotated access token
        expect((await settingsRow()).oauth_refresh_token).toBe(rotated.refreshToken)
      })

      it("the process that refreshed does not replace its own clients when it next reads the stored connection", async () => {
        const tradegecko: any = getContainer().resolve("tradegecko")
        const client = tradegecko.getClient()
        const before = await settingsRow()
        await tg.control("POST", "/tokens/expire")
        const run = await catalogRunInProgress(SETTINGS_TTL_MS + 4_000)
        // the run's first calls got 401, this process refreshed and stored the new pair
        await waitFor(
          async () => (await settingsRow()).oauth_refresh_token !== before.oauth_refresh_token,
          20_000,
          "refresh stored"
        )
        await new Promise((r) => setTimeout(r, SETTINGS_TTL_MS + 200))
        await tradegecko.getSettings()

        const result = await run.done
        expect(result.status).toBe("succeeded")
        expect(tradegecko.getClient()).toBe(client)
        expect((await tg.requestCounts())["POST /oauth/token"]).toBe(1)
      })
    })
  },
})
