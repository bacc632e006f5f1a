// stateFile: a restarted sandbox serves the same records, accepts the same
// tokens and keeps its id sequences and clock; over real HTTP.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createOrder, eventually, receiver, request, start, type TestSandbox } from "./helpers"

let dir: string
let file: string
const open: TestSandbox[] = []
const boot = async (opts: Parameters<typeof start>[0] = {}) => {
  const t = await start({ stateFile: file, seed: { products: 6, variantsPerProduct: 2 }, ...opts })
  open.push(t)
  return t
}
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-state-"))
  file = join(dir, "tradegecko.json")
})
afterEach(async () => {
  for (const t of open.splice(0)) await t.close()
  rmSync(dir, { recursive: true, force: true })
})

async function oauthToken(t: TestSandbox): Promise<string> {
  const code = (await t.control("POST", "/oauth/code")).json.code
  const c = t.sb.credentials
  const res = await request(`${t.sb.url}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "authorization_code",
      code,
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uri: c.redirectUri,
    }),
  })
  expect(res.status).toBe(200)
  return res.json.access_token
}

describe("Sandbox: state file persistence", () => {
  it("a sandbox restarted with the same stateFile serves the same records, tokens, sequences and clock", async () => {
    const first = await boot()
    expect(first.sb.restored).toBe(false)
    const order = await createOrder(first, [{ variant_id: 200001, quantity: 2 }], { reference_number: "persist-1" })
    await first.api("POST", `/orders/${order.id}/actions/pay`)
    const hook = (
      await first.api("POST", "/webhooks", { webhook: { event: "order.create", address: "http://127.0.0.1:9/hooks" } })
    ).json.webhook
    await first.api("PUT", "/variants/200003", { variant: { name: "Renamed before restart" } })
    const token = await oauthToken(first)
    await first.control("POST", "/clock", { advanceSeconds: 3600 })
    // URLs in records (document_url, image paths) carry the sandbox's own base URL, which changes with the port
    const snapshot = async (t: TestSandbox) =>
      JSON.parse(
        JSON.stringify(await records(t))
          .split(t.sb.url)
          .join("<base>")
      )
    const records = async (t: TestSandbox) => ({
      order: (await t.api("GET", `/orders/${order.id}`)).json.order,
      orders: (await t.api("GET", "/orders?limit=250")).json.orders,
      invoices: (await t.api("GET", "/invoices?limit=250")).json.invoices,
      payments: (await t.api("GET", "/payments?limit=250")).json.payments,
      webhooks: (await t.api("GET", "/webhooks")).json.webhooks,
      variants: (await t.api("GET", "/variants?limit=250")).json.variants,
      companies: (await t.api("GET", "/companies?limit=250")).json.companies,
    })
    const before = await snapshot(first)
    expect(before.order.payment_status).toBe("paid")
    await first.close()
    open.splice(open.indexOf(first), 1)

    // different seed options on the restart: the saved state wins
    const second = await boot({ seed: { products: 2, variantsPerProduct: 1 } })
    expect(second.sb.restored).toBe(true)
    expect(await snapshot(second)).toEqual(before)
    expect(before.webhooks.map((w: any) => w.id)).toContain(hook.id)
    expect(before.variants.find((v: any) => v.id === 200003).name).toBe("Renamed before restart")
    // the OAuth token issued before the restart still works
    expect((await second.api("GET", "/accounts/current", undefined, { Authorization: `Bearer ${token}` })).status).toBe(
      200
    )
    // id sequences continue (no reuse), the clock offset is kept
    const next = await createOrder(second, [{ variant_id: 200001, quantity: 1 }])
    expect(next.id).toBe(order.id + 1)
    expect(Date.parse(next.created_at) - Date.now()).toBeGreaterThan(3500 * 1000)
  })

  it("changes are on disk shortly after each write, without a clean shutdown", async () => {
    const first = await boot()
    const order = await createOrder(first, [{ variant_id: 200002, quantity: 1 }], { reference_number: "no-shutdown" })
    await new Promise((r) => setTimeout(r, 300))
    // a second process reading the file while the first still runs (as after kill -9)
    const copy = join(dir, "copy.json")
    writeFileSync(copy, readFileSync(file))
    const second = await start({ stateFile: copy })
    open.push(second)
    expect((await second.api("GET", `/orders/${order.id}`)).json.order.reference_number).toBe("no-shutdown")
    expect((await second.api("GET", "/variants/200002")).json.variant.committed_stock).toBe("1")
  })

  it("reset through the control API starts fresh and is saved too", async () => {
    const first = await boot()
    await createOrder(first, [{ variant_id: 200001, quantity: 1 }], { reference_number: "wiped" })
    await first.control("POST", "/reset", { seed: { history: false } })
    await first.close()
    open.splice(0)
    const second = await boot()
    expect((await second.api("GET", "/orders?reference_number=wiped")).json.orders).toEqual([])
    expect((await second.api("GET", "/orders")).json.orders).toEqual([])
  })

  it("a broken state file is a clear error and is left untouched", async () => {
    writeFileSync(file, "{not json")
    await expect(start({ stateFile: file })).rejects.toThrow(/not valid JSON.*--reset/)
    expect(readFileSync(file, "utf8")).toBe("{not json")
  })

  it("a webhook retry scheduled before the restart is delivered by the restarted sandbox", async () => {
    const r = await receiver((_req, n) => (n === 1 ? 500 : 200))
    try {
      // first retry 15–24 s on the real schedule = 150–240 ms here
      const first = await boot({ webhookTimeScale: 0.01 })
      await first.api("POST", "/webhooks", { webhook: { event: "product.create", address: r.url } })
      await first.api("POST", "/products", { product: { name: "Across a restart" } })
      await eventually(
        async () => (await first.control("GET", "/webhook-deliveries")).json.deliveries[0]?.outcome === "retrying"
      )
      await first.close()
      open.splice(open.indexOf(first), 1)
      expect(r.received).toHaveLength(1)

      const second = await boot({ webhookTimeScale: 0.01 })
      await r.waitFor(2)
      expect(r.received[1].headers["x-gecko-delivery"]).toBe(r.received[0].headers["x-gecko-delivery"])
      expect(r.received[1].body).toBe(r.received[0].body)
      const log = await eventually(async () => {
        const d = (await second.control("GET", "/webhook-deliveries")).json.deliveries
        return d[0]?.outcome === "delivered" ? d : undefined
      })
      expect(log.map((d: any) => d.attempt)).toEqual([2])
    } finally {
      await r.close()
    }
  })
})
