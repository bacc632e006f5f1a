import {
  chunk,
  type Image,
  type Product,
  type TradegeckoClient,
  type Variant,
} from "../../../modules/tradegecko/client"

export interface FetchCatalogInput {
  /** Incremental: only what changed since then (ISO). */
  since: string | null
  /** Targeted: these products (and their variants), or the products of these variants. */
  scope: { product_ids?: number[]; variant_ids?: number[] } | null
}
export interface FetchedCatalog {
  products: Product[]
  variants: Variant[]
  images: Image[]
  /**
   * When the stock in `variants` was read (ISO): taken before the first request, so it is
   * never later than the read. Stock is stamped with this, never with the write time.
   */
  readAt: string
}

const ALL_PRODUCT_STATUSES = ["active", "disabled", "archived"]
const ALL_VARIANT_STATUSES = ["active", "archived"]
const IDS_PER_CALL = 100

/** Every variant and image of these products (`product_id` comma lists, 100 ids a call). */
async function childrenOf(client: TradegeckoClient, productIds: number[]) {
  const variants: Variant[] = []
  const images: Image[] = []
  for (const ids of chunk(productIds, IDS_PER_CALL)) {
    const [v, i] = await Promise.all([
      client.variants.all({ product_id: ids, status: ALL_VARIANT_STATUSES }),
      client.images.all({ product_id: ids as unknown as number }),
    ])
    variants.push(...v)
    images.push(...i)
  }
  return { variants, images }
}

/**
 * Reads the part of the TradeGecko catalog a run needs, with as few calls as the API
 * allows: full = every page of products, variants and images (250 a page);
 * incremental = products and variants changed since the cursor, then the missing
 * parents and siblings by id (a product's rules depend on all its variants).
 */
export async function fetchTradegeckoCatalog(
  client: TradegeckoClient,
  input: FetchCatalogInput
): Promise<FetchedCatalog> {
  const readAt = new Date().toISOString()
  if (!input.scope && !input.since) {
    const [products, variants, images] = await Promise.all([
      client.products.all({ status: ALL_PRODUCT_STATUSES }),
      client.variants.all({ status: ALL_VARIANT_STATUSES }),
      client.images.all({}),
    ])
    return { products, variants, images, readAt }
  }

  let products: Product[] = []
  let seedVariants: Variant[] = []
  if (input.scope) {
    seedVariants = input.scope.variant_ids?.length
      ? await client.variants.getMany(input.scope.variant_ids, { params: { status: ALL_VARIANT_STATUSES } })
      : []
    const ids = [...new Set([...(input.scope.product_ids ?? []), ...seedVariants.map((v) => v.product_id)])]
    products = ids.length ? await client.products.getMany(ids, { params: { status: ALL_PRODUCT_STATUSES } }) : []
  } else {
    const [changedProducts, changedVariants] = await Promise.all([
      client.products.all({ updated_at_min: input.since!, status: ALL_PRODUCT_STATUSES }),
      client.variants.all({ updated_at_min: input.since!, status: ALL_VARIANT_STATUSES }),
    ])
    const known = new Set(changedProducts.map((p) => p.id))
    const missing = [...new Set(changedVariants.map((v) => v.product_id).filter((id) => !known.has(id)))]
    const parents = missing.length
      ? await client.products.getMany(missing, { params: { status: ALL_PRODUCT_STATUSES } })
      : []
    products = [...changedProducts, ...parents]
    seedVariants = changedVariants
  }
  if (!products.length) return { products: [], variants: [], images: [], readAt }
  const { variants, images } = await childrenOf(
    client,
    products.map((p) => p.id)
  )
  return { products, variants, images, readAt }
}
