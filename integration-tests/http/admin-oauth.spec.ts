import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { createAdminHeaders } from "../helpers/admin"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"

jest.setTimeout(240_000)

// This app has no privilegedToken option: the store connects from the admin settings page.
useAppEnv({
  TRADEGECKO_PRIVILEGED_TOKEN: "none",
  // The public URL of the store: the OAuth redirect URI is built from it, and registered in the sandbox.
  TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test",
})
const REDIRECT_URI = "http://shop.example.test/tradegecko/oauth/callback"

const tg = useSandbox({ seed: { products: 2, variantsPerProduct: 1, seed: 1 }, redirectUri: REDIRECT_URI })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    const call = (method: "get" | "post", url: string, body?: unknown, h: Record<string, string> = headers) =>
      (method === "get" ? api.get(url, { headers: h, maxRedirects: 0 }) : api.post(url, body, { headers: h })).catch(
        (e: any) => e.response
      )
    const settingsRow = async () => {
      // the connection's token row (apart from the merchant's settings)
      const [row] = await (getContainer().resolve("tradegecko") as any).listTradegeckoConnectionTokens({}, { take: 1 })
      return row
    }

    /** The merchant clicks "Connect", approves on TradeGecko's consent screen; returns the callback path the browser is sent to. */
    async function approveOnTradegecko(): Promise<string> {
      const started = await call("post", "/admin/tradegecko/connect", { type: "oauth" })
      expect(started.status).toBe(200)
      const authorize = new URL(started.data.authorize_url)
      expect(`${authorize.origin}${authorize.pathname}`).toBe(`${tg.sandbox.url}/oauth/authorize`)
      expect(authorize.searchParams.get("redirect_uri")).toBe(REDIRECT_URI)
      const consent = await fetch(authorize)
      expect(await consent.text()).toContain("Authorize")
      const form = new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), decision: "approve" })
      const decision = await fetch(`${tg.sandbox.url}/oauth/authorize`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: form.toString(),
        redirect: "manual",
      })
      expect(decision.status).toBe(302)
      const back = new URL(decision.headers.get("location")!)
      expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI)
      return `${back.pathname}${back.search}`
    }

    beforeEach(async () => {
      headers = (await createAdminHeaders(getContainer())).headers
      await call("post", "/admin/tradegecko/disconnect", {})
    })

    describe("Connection: OAuth from the admin", () => {
      it("without a token option the store starts not connected, with OAuth offered", async () => {
        const { data } = await call("get", "/admin/tradegecko/settings")
        expect(data.settings.connection).toMatchObject({
          connected: false,
          credential_type: null,
          source: null,
          oauth_available: true,
          account: null,
        })
      })

      it("connects with OAuth: consent on TradeGecko, callback with a signed state, tokens stored and never returned", async () => {
        const callback = await approveOnTradegecko()
        // the browser arrives without admin credentials
        const landed = await call("get", callback, undefined, {})
        expect(landed.status).toBe(302)
        expect(landed.headers.location).toBe("/app/tradegecko?connected=oauth")

        const row = await settingsRow()
        expect(row).toMatchObject({
          connection_type: "oauth",
          oauth_access_token: expect.any(String),
          oauth_refresh_token: expect.any(String),
        })
        const res = await call("get", "/admin/tradegecko/settings")
        expect(res.data.settings.connection).toMatchObject({
          connected: true,
          credential_type: "oauth",
          source: "admin",
          account: { id: 1, name: "Sandbox Trading Co." },
          account_error: null,
        })
        const status = (await call("get", "/admin/tradegecko/status")).data
        expect(status).toMatchObject({ configured: true, credential_type: "oauth" })
        const everything = JSON.stringify(res.data) + JSON.stringify(status)
        expect(everything).not.toContain(row.oauth_access_token)
        expect(everything).not.toContain(row.oauth_refresh_token)

        // An expired access token is refreshed; the rotated pair is saved before use.
        await tg.control("POST", "/tokens/expire")
        const tradegecko: any = getContainer().resolve("tradegecko")
        await expect(tradegecko.getClient().accounts.current()).resolves.toMatchObject({ id: 1 })
        const rotated = await settingsRow()
        expect(rotated.oauth_refresh_token).not.toBe(row.oauth_refresh_token)
        expect(rotated.oauth_access_token).not.toBe(row.oauth_access_token)

        // Disconnect forgets the tokens.
        const off = await call("post", "/admin/tradegecko/disconnect", {})
        expect(off.data.connection).toMatchObject({ connected: false, credential_type: null })
        expect(await settingsRow()).toMatchObject({
          connection_type: null,
          oauth_access_token: null,
          oauth_refresh_token: null,
        })
        expect(() => tradegecko.getClient()).toThrow(/not connected to TradeGecko/)
      })

      it("two clients on one OAuth connection (as two processes would) refresh once: the second takes the pair the first stored", async () => {
        await call("get", await approveOnTradegecko(), undefined, {})
        const tradegecko: any = getContainer().resolve("tradegecko")
        // separate token managers sharing nothing but the database, like a server and a worker
        const first = tradegecko.getClient()
        const second = tradegecko.getCheckoutClient()
        await Promise.all([first.accounts.current(), second.accounts.current()])
        await tg.control("POST", "/tokens/expire")
        await tg.clearRequests()
        const accounts = await Promise.all([
          first.accounts.current(),
          second.accounts.current(),
          second.products.list({ limit: 1 }),
        ])
        expect(accounts[0]).toMatchObject({ id: 1 })
        expect(accounts[1]).toMatchObject({ id: 1 })
        const counts = await tg.requestCounts()
        expect(counts["POST /oauth/token"]).toBe(1)
        expect(accounts[2].items).toHaveLength(1)
      })

      it("refuses a callback whose state was not made by this store, and a denied consent, in words", async () => {
        const callback = new URL(await approveOnTradegecko(), "http://x")
        callback.searchParams.set("state", `${Date.now() + 60_000}.forged.AAAA`)
        const forged = await call("get", `${callback.pathname}${callback.search}`, undefined, {})
        expect(forged.status).toBe(302)
        expect(forged.headers.location).toBe("/app/tradegecko?oauth_error=Invalid+OAuth+state")
        expect((await settingsRow())?.connection_type ?? null).toBeNull()

        const denied = await call("get", "/tradegecko/oauth/callback?error=access_denied&state=x", undefined, {})
        expect(denied.headers.location).toBe("/app/tradegecko?oauth_error=Access+was+denied+on+TradeGecko")
      })

      it("connects with a pasted privileged token after TradeGecko accepted it", async () => {
        const res = await call("post", "/admin/tradegecko/connect", {
          type: "privileged_token",
          token: tg.sandbox.credentials.privilegedToken,
        })
        expect(res.status).toBe(200)
        expect(res.data.connection).toMatchObject({
          connected: true,
          credential_type: "privileged_token",
          source: "admin",
          account: { name: "Sandbox Trading Co." },
        })
        expect(JSON.stringify(res.data)).not.toContain(tg.sandbox.credentials.privilegedToken)
        // stored: the settings page, read afresh, shows the connection
        const after = await call("get", "/admin/tradegecko/settings")
        expect(after.data.settings.connection).toMatchObject({
          connected: true,
          credential_type: "privileged_token",
          source: "admin",
        })
      })
    })
  },
})
