/**
 * What a shopper needs, set up through the admin API (demo and browser suite), and an order
 * placed through the store API the way a storefront does it. Idempotent: a second demo run
 * finds what the first one made (by name) and reuses it.
 *
 *  - a region in the TradeGecko account's currency (the sandbox's: USD), paying with the
 *    system provider, shipping to the US
 *  - the store's stock location (made by the first import) linked to the default sales
 *    channel and to the manual fulfillment provider, with a shipping zone and a flat-rate
 *    shipping option
 *  - a publishable API key linked to the default sales channel
 */
const SHIP_TO = {
  first_name: "Sam",
  last_name: "Shopper",
  address_1: "1 Main St",
  city: "Springfield",
  country_code: "us",
  postal_code: "94001",
}

async function setupShop(admin, { sandboxUrl, token, say = () => {} }) {
  const tg = async (p) => (await fetch(`${sandboxUrl}${p}`, { headers: { authorization: `Bearer ${token}` } })).json()
  const { account } = await tg("/accounts/current")
  const { currency } = await tg(`/currencies/${account.default_currency_id}`)
  const currencyCode = String(currency?.iso ?? "usd").toLowerCase()
  const { stores } = await admin.call(
    "GET",
    "/admin/stores?fields=id,default_sales_channel_id,default_location_id,supported_currencies.*"
  )
  const store = stores[0]
  const salesChannelId = store.default_sales_channel_id
  if (!store.supported_currencies.some((c) => c.currency_code === currencyCode)) {
    await admin.call("POST", `/admin/stores/${store.id}`, {
      supported_currencies: [
        ...store.supported_currencies.map((c) => ({ currency_code: c.currency_code, is_default: c.is_default })),
        { currency_code: currencyCode },
      ],
    })
  }

  // Region in the account's currency shipping to the US (an existing one is reused), paying with the system provider.
  const regionName = `TradeGecko demo (${currencyCode.toUpperCase()})`
  const { regions } = await admin.call(
    "GET",
    "/admin/regions?limit=100&fields=id,name,currency_code,countries.iso_2,payment_providers.id"
  )
  let region =
    regions.find((r) => r.name === regionName) ??
    regions.find((r) => r.currency_code === currencyCode && (r.countries ?? []).some((c) => c.iso_2 === "us"))
  if (!region) {
    const taken = regions.some((r) => (r.countries ?? []).some((c) => c.iso_2 === "us"))
    if (taken) throw new Error(`the US belongs to a region in another currency than ${currencyCode.toUpperCase()}`)
    region = (
      await admin.call("POST", "/admin/regions", {
        name: regionName,
        currency_code: currencyCode,
        countries: ["us"],
        payment_providers: ["pp_system_default"],
      })
    ).region
    say(`region ${regionName} created`)
  } else if (!(region.payment_providers ?? []).some((p) => p.id === "pp_system_default")) {
    await admin.call("POST", `/admin/regions/${region.id}`, {
      payment_providers: ["pp_system_default", ...(region.payment_providers ?? []).map((p) => p.id)],
    })
  }

  // The stock location: linked to the channel, the manual provider, a zone and a shipping option.
  const locationId =
    store.default_location_id ?? (await admin.call("GET", "/admin/stock-locations?limit=1")).stock_locations[0]?.id
  if (!locationId) throw new Error("no stock location: the first catalog import makes one")
  const { stock_location: location } = await admin.call(
    "GET",
    `/admin/stock-locations/${locationId}?fields=id,name,sales_channels.id,fulfillment_providers.id,fulfillment_sets.id,fulfillment_sets.service_zones.id`
  )
  if (!(location.sales_channels ?? []).some((c) => c.id === salesChannelId)) {
    await admin.call("POST", `/admin/stock-locations/${locationId}/sales-channels`, { add: [salesChannelId] })
  }
  if (!(location.fulfillment_providers ?? []).some((p) => p.id === "manual_manual")) {
    await admin.call("POST", `/admin/stock-locations/${locationId}/fulfillment-providers`, { add: ["manual_manual"] })
  }
  let zoneId = location.fulfillment_sets?.[0]?.service_zones?.[0]?.id
  if (!zoneId) {
    const { stock_location: withSet } = await admin.call(
      "POST",
      `/admin/stock-locations/${locationId}/fulfillment-sets?fields=fulfillment_sets.id`,
      {
        name: `${location.name} shipping`,
        type: "shipping",
      }
    )
    const setId = withSet.fulfillment_sets[0].id
    const { fulfillment_set: set } = await admin.call("POST", `/admin/fulfillment-sets/${setId}/service-zones`, {
      name: "United States",
      geo_zones: [{ type: "country", country_code: "us" }],
    })
    zoneId = set.service_zones[0].id
  }
  const { shipping_options: options } = await admin.call(
    "GET",
    `/admin/shipping-options?service_zone_id=${zoneId}&fields=id,name`
  )
  if (!options.some((o) => o.name === "Standard")) {
    const { shipping_profiles: profiles } = await admin.call("GET", "/admin/shipping-profiles?type=default")
    const profile =
      profiles[0] ??
      (await admin.call("POST", "/admin/shipping-profiles", { name: "Default Shipping Profile", type: "default" }))
        .shipping_profile
    await admin.call("POST", "/admin/shipping-options", {
      name: "Standard",
      service_zone_id: zoneId,
      shipping_profile_id: profile.id,
      provider_id: "manual_manual",
      price_type: "flat",
      type: { label: "Standard", description: "3-5 days", code: "standard" },
      prices: [{ currency_code: currencyCode, amount: 10 }],
      rules: [
        { attribute: "enabled_in_store", value: "true", operator: "eq" },
        { attribute: "is_return", value: "false", operator: "eq" },
      ],
    })
    say("shipping option Standard created")
  }

  // Publishable key for the storefront, linked to the channel.
  const { api_keys: keys } = await admin.call("GET", "/admin/api-keys?type=publishable&limit=100")
  let key = keys.find((k) => k.title === "TradeGecko demo storefront")
  if (!key) {
    key = (await admin.call("POST", "/admin/api-keys", { title: "TradeGecko demo storefront", type: "publishable" }))
      .api_key
    await admin.call("POST", `/admin/api-keys/${key.id}/sales-channels`, { add: [salesChannelId] })
    say("publishable key created")
  }
  return { regionId: region.id, currencyCode, publishableKey: key.token, salesChannelId, locationId }
}

/**
 * One order through the store API, as a storefront places it: cart, line, e-mail and
 * address, shipping method, payment session (system provider), complete.
 * Answers { order } or throws with the store API's message.
 */
async function placeStoreOrder(base, shop, { variantId, quantity = 1, email = "shopper@example.com" }) {
  const headers = { "content-type": "application/json", "x-publishable-api-key": shop.publishableKey }
  const call = async (method, p, body) => {
    const res = await fetch(`${base}${p}`, { method, headers, body: body ? JSON.stringify(body) : undefined })
    const json = await res.json().catch(() => ({}))
    if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${json.message ?? JSON.stringify(json)}`)
    return json
  }
  const { cart } = await call("POST", "/store/carts", {
    region_id: shop.regionId,
    email,
    shipping_address: SHIP_TO,
    billing_address: SHIP_TO,
  })
  await call("POST", `/store/carts/${cart.id}/line-items`, { variant_id: variantId, quantity })
  const { shipping_options: options } = await call("GET", `/store/shipping-options?cart_id=${cart.id}`)
  if (!options.length) throw new Error("no shipping option for the cart")
  await call("POST", `/store/carts/${cart.id}/shipping-methods`, { option_id: options[0].id })
  const { payment_collection: pc } = await call("POST", "/store/payment-collections", { cart_id: cart.id })
  await call("POST", `/store/payment-collections/${pc.id}/payment-sessions`, { provider_id: "pp_system_default" })
  const done = await call("POST", `/store/carts/${cart.id}/complete`, {})
  if (done.type !== "order") throw new Error(`cart ${cart.id} not completed: ${JSON.stringify(done.error ?? done)}`)
  return { order: done.order, cartId: cart.id }
}

module.exports = { setupShop, placeStoreOrder, SHIP_TO }
