#!/usr/bin/env node
/**
 * `npm run demo:order` (or `node scripts/place-order.js [SKU] [quantity]`): places one order
 * in the running demo through the store API, as a storefront does (cart, address, shipping,
 * payment, complete). The plugin then pushes it to the TradeGecko sandbox; see it on the
 * order page's TradeGecko widget and on Admin → TradeGecko → Order health.
 */
const { adminClient, SANDBOX_TOKEN } = require("./lib/stack")
const { setupShop, placeStoreOrder } = require("./lib/shop")

const base = `http://localhost:${process.env.PORT || 9000}`
const sandboxUrl = `http://127.0.0.1:${process.env.SANDBOX_PORT || 4010}`
const email = process.env.DEMO_ADMIN_EMAIL || "admin@tradegecko.demo"
const password = process.env.DEMO_ADMIN_PASSWORD || "tradegecko-demo"

async function main() {
  const [sku, qty] = process.argv.slice(2)
  const admin = await adminClient(base, email, password)
  const shop = await setupShop(admin, { sandboxUrl, token: SANDBOX_TOKEN })
  const variant = await pickVariant(admin, sku)
  const { order } = await placeStoreOrder(base, shop, { variantId: variant.id, quantity: Number(qty || 1) })
  console.log(`Order #${order.display_id} placed: ${qty || 1} × ${variant.sku} (${order.id})`)
  console.log(`  ${base}/app/orders/${order.id}`)
}

/** The variant with this SKU, else the first TradeGecko variant with stock. */
async function pickVariant(admin, sku) {
  const { variants } = await admin.call(
    "GET",
    `/admin/product-variants?limit=50&fields=id,sku,inventory_quantity,manage_inventory,product.status${sku ? `&q=${encodeURIComponent(sku)}` : ""}`
  )
  const found = sku
    ? variants.find((v) => v.sku === sku)
    : variants.find(
        (v) => v.sku && v.product?.status === "published" && (!v.manage_inventory || v.inventory_quantity > 0)
      )
  if (!found) throw new Error(sku ? `no variant with SKU ${sku}` : "no published variant with stock")
  return found
}

main().catch((e) => {
  console.error(`place-order: ${e.message}`)
  process.exit(1)
})
