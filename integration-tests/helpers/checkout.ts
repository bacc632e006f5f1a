import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createRegionsWorkflow,
  createShippingOptionsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
} from "@medusajs/medusa/core-flows"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import type { SeedOptions } from "../../sandbox"
import { seedStore } from "./store"

/**
 * What a storefront needs on top of seedStore: a region (US and Canada) paying with the
 * system provider, a publishable key, a flat-rate shipping option to both countries
 * served from the store's stock location, and 10 % tax in the US — Canada has no tax
 * region in Medusa (the "account's default tax type" case of the order push).
 */
export interface CheckoutSetup {
  /** Region currency (default usd, the sandbox account's). */
  currency?: string
  /** Region and shipping countries (default us, ca). */
  countries?: string[]
  /** Tax rate (%) of a Medusa tax region for each of `countries` other than the US and Canada. */
  taxRate?: number
  /**
   * TradeGecko price list per store currency, saved on the settings page before the import, as a
   * merchant whose store sells in another currency than the TradeGecko account's does.
   */
  priceLists?: Record<string, string>
}

export async function seedCheckout(
  container: MedusaContainer,
  store: { salesChannelId: string; locations: Array<{ id: string }> },
  setup: CheckoutSetup = {}
) {
  const currency = setup.currency ?? "usd"
  const countries = setup.countries ?? ["us", "ca"]
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: currency === "usd" ? "North America" : `Region ${currency.toUpperCase()}`,
          currency_code: currency,
          countries,
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  const taxed = countries.filter((c) => c !== "us" && c !== "ca")
  if (setup.taxRate !== undefined && taxed.length) {
    await createTaxRegionsWorkflow(container).run({
      input: taxed.map((country_code) => ({
        country_code,
        provider_id: "tp_system",
        default_tax_rate: { rate: setup.taxRate!, code: `VAT-${country_code.toUpperCase()}`, name: "VAT" },
      })),
    })
  }
  if (countries.includes("us")) {
    await createTaxRegionsWorkflow(container).run({
      input: [
        {
          country_code: "us",
          provider_id: "tp_system",
          default_tax_rate: { rate: 10, code: "US-SALES", name: "US sales tax" },
        },
      ],
    })
  }
  const {
    result: [key],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: "storefront", type: "publishable", created_by: "test" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [store.salesChannelId] } })

  const location = store.locations[0].id
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  const set = await fulfillment.createFulfillmentSets({
    name: `US shipping ${Date.now()}`,
    type: "shipping",
    service_zones: [
      {
        name: "Shipping zone",
        geo_zones: countries.map((country_code) => ({ country_code, type: "country" as const })),
      },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location },
    [Modules.FULFILLMENT]: { fulfillment_set_id: set.id },
  })
  const [existing] = await fulfillment.listShippingProfiles({ type: "default" })
  const profile =
    existing ?? (await fulfillment.createShippingProfiles({ name: "Default Shipping Profile", type: "default" }))
  await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: set.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: "Standard", description: "3-5 days", code: "standard" },
        prices: [
          { currency_code: currency, amount: 10 },
          { region_id: region.id, amount: 10 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })
  return { region, publishableKey: key.token as string }
}

/** A storefront going through checkout over the store API. */
export function storefront(api: any, publishableKey: string, defaults: { country?: string } = {}) {
  const headers = { "x-publishable-api-key": publishableKey }
  const call = (method: "get" | "post" | "delete", url: string, body?: unknown) =>
    (method === "get"
      ? api.get(url, { headers })
      : method === "delete"
        ? api.delete(url, { headers })
        : api.post(url, body, { headers })
    ).catch((e: any) => e.response ?? Promise.reject(e))
  return {
    async cart(regionId: string, lines: Array<{ variant_id: string; quantity: number }>) {
      const { data } = await call("post", "/store/carts", { region_id: regionId })
      for (const line of lines) await call("post", `/store/carts/${data.cart.id}/line-items`, line)
      return data.cart.id as string
    },
    /** E-mail + shipping address: the cart enters checkout. */
    async enterCheckout(cartId: string, email = "shopper@example.com", countryCode = defaults.country ?? "us") {
      return call("post", `/store/carts/${cartId}`, {
        email,
        shipping_address: {
          first_name: "Sam",
          last_name: "Shopper",
          address_1: "1 Main St",
          city: "Springfield",
          country_code: countryCode,
          postal_code: "94001",
        },
      })
    },
    applyPromotion: (cartId: string, code: string) =>
      call("post", `/store/carts/${cartId}/promotions`, { promo_codes: [code] }),
    async shipAndPay(cartId: string) {
      const { data: options } = await call("get", `/store/shipping-options?cart_id=${cartId}`)
      await call("post", `/store/carts/${cartId}/shipping-methods`, { option_id: options.shipping_options[0].id })
      const { data: pc } = await call("post", "/store/payment-collections", { cart_id: cartId })
      await call("post", `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, {
        provider_id: "pp_system_default",
      })
    },
    /** The shopper confirms payment (again): the cart's payment collection gets a new session for its current amount. */
    async pay(cartId: string) {
      const { data: pc } = await call("post", "/store/payment-collections", { cart_id: cartId })
      return call("post", `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`, {
        provider_id: "pp_system_default",
      })
    },
    complete: (cartId: string) => call("post", `/store/carts/${cartId}/complete`, {}),
    get: (cartId: string) => call("get", `/store/carts/${cartId}`),
  }
}

/**
 * The common start of a checkout test: the sandbox reset to `seed`, a store ready for
 * checkout, and the sandbox catalog imported; returns a storefront on the store API.
 */
export async function seedShop(
  container: MedusaContainer,
  api: any,
  resetSandbox: () => Promise<unknown>,
  setup: CheckoutSetup = {}
) {
  await resetSandbox()
  const store = await seedStore(container, { currency: setup.currency })
  const { region, publishableKey } = await seedCheckout(container, store, setup)
  if (setup.priceLists) await (container.resolve("tradegecko") as any).saveSettings({ priceLists: setup.priceLists })
  await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
  return {
    shop: storefront(api, publishableKey, { country: setup.countries?.[0] }),
    regionId: region.id as string,
    salesChannelId: store.salesChannelId as string,
  }
}

/** The store API storefront of the current test, with the region and sales channel seedShop made for it. */
export type Shop = ReturnType<typeof storefront> & { readonly regionId: string; readonly salesChannelId: string }

/**
 * The frame of an order or checkout spec, called inside the test runner's `testSuite`:
 * before each test the sandbox is reset to `seed` (then `prepareSandbox` runs, for a
 * TradeGecko change the import must bring), and seedShop makes a store ready for checkout
 * with the catalog imported. Returns the test's storefront; `shop.regionId` and
 * `shop.salesChannelId` are the current test's.
 */
export function useShop(
  runner: { api: any; getContainer: () => MedusaContainer },
  tg: { control: (method: string, path: string, body?: unknown) => Promise<unknown> },
  opts: { seed: SeedOptions; setup?: CheckoutSetup; prepareSandbox?: () => Promise<unknown> }
): Shop {
  let current: Awaited<ReturnType<typeof seedShop>> | null = null
  beforeEach(async () => {
    current = await seedShop(
      runner.getContainer(),
      runner.api,
      async () => {
        await tg.control("POST", "/reset", { seed: opts.seed })
        await opts.prepareSandbox?.()
      },
      opts.setup
    )
  })
  const now = () => {
    if (!current) throw new Error("useShop: the shop exists inside a test only")
    return current
  }
  const methods = Object.keys(storefront(null, "")) as Array<keyof ReturnType<typeof storefront>>
  const shop = Object.fromEntries(methods.map((m) => [m, (...args: any[]) => (now().shop[m] as any)(...args)])) as any
  Object.defineProperty(shop, "regionId", { get: () => now().regionId })
  Object.defineProperty(shop, "salesChannelId", { get: () => now().salesChannelId })
  return shop as Shop
}

/** Pretend every variant's last stock read was 10 minutes ago (the checkout window is 300 s). */
export async function makeStockStale(container: MedusaContainer) {
  const tradegecko: any = container.resolve("tradegecko")
  const links = await tradegecko.listTradegeckoVariantLinks({})
  await tradegecko.updateTradegeckoVariantLinks(
    links.map((l: any) => ({ id: l.id, stock_synced_at: new Date(Date.now() - 600_000) }))
  )
}
