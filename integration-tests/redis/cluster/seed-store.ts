import type { MedusaContainer } from "@medusajs/framework/types"
import { seedCheckout } from "../../helpers/checkout"
import { seedStore } from "../../helpers/store"
import { startCatalogSync } from "../../../src/lib/start-catalog-sync"

/**
 * `medusa exec` script of the cluster tests: a store ready for checkout, and (unless
 * SEED_IMPORT=false) the TradeGecko catalog imported once by hand. Prints one JSON line.
 */
export default async function seedClusterStore({ container }: { container: MedusaContainer }) {
  const store = await seedStore(container)
  const { region, publishableKey } = await seedCheckout(container, store)
  if (process.env.SEED_IMPORT !== "false") {
    await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
  }
  console.log(JSON.stringify({ regionId: region.id, publishableKey, salesChannelId: store.salesChannelId }))
}
