import {
  chunk,
  type Image,
  type ListPage,
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
/** Ids per lookup: a page's worth (the comma form keeps 250 ids near 2 kB of URL). */
const IDS_PER_CALL = 250

/** Every variant and image of these products (`product_id` comma lists, 250 ids a call). */
async function childrenOf(client: TradegeckoClient, productIds: number[]) {
  const variants: Variant[] = []
  const images: Image[] = []
  for (const ids of chunk(productIds, IDS_PER_CALL)) {
    const [v, i] = await Promise.all([
      client.variants.all({ product_id: ids, status: ALL_VARIANT_STATUSES }),
      imagesOf(client, ids),
    ])
    variants.push(...v)
    images.push(...i)
  }
  return { variants, images }
}

/** The images of these products (250 ids a call). */
async function imagesOf(client: TradegeckoClient, productIds: number[]) {
  const images: Image[] = []
  for (const ids of chunk(productIds, IDS_PER_CALL))
    images.push(...(await client.images.all({ product_id: ids as unknown as number })))
  return images
}

/**
 * The products matching `params` with every variant of theirs (pageVariants: sideloaded
 * with each page, the rest by `product_id`).
 */
async function productsWithVariants(
  client: TradegeckoClient,
  params: Parameters<TradegeckoClient["products"]["pages"]>[0]
): Promise<{ products: Product[]; variants: Variant[] }> {
  const products: Product[] = []
  const variants: Variant[] = []
  for await (const page of client.products.pages({ ...params, include: ["variants"] })) {
    products.push(...page.items)
    variants.push(...(await pageVariants(client, page)))
  }
  return { products, variants }
}

/**
 * Every variant of a page of products read with `include=variants`: the sideloaded
 * ones, and by `product_id` those of products whose `variant_ids` the sideload lacks
 * (productsMissingVariants).
 */
async function pageVariants(client: TradegeckoClient, page: ListPage<Product>): Promise<Variant[]> {
  const ids = new Set(page.items.map((p) => p.id))
  const sideloaded = (page.sideloaded.variants ?? []).filter((v) => ids.has(v.product_id))
  const incomplete = productsMissingVariants(page.items, page.sideloaded.variants ? sideloaded : null)
  if (!incomplete.length) return sideloaded
  const refetched = new Set(incomplete)
  return [
    ...sideloaded.filter((v) => !refetched.has(v.product_id)),
    ...(await client.variants.all({ product_id: incomplete, status: ALL_VARIANT_STATUSES })),
  ]
}

/**
 * Reads the part of the TradeGecko catalog a run needs, with as few calls as the API
 * allows: full = every page of products, variants and images (250 a page);
 * incremental = products changed since the cursor with all their variants (sideloaded),
 * variants changed since it, then their missing parents by id with all their variants
 * (a product's rules depend on every variant), then the images: 4 calls for up to 250
 * changed products and 250 changed parents.
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

  if (input.scope) {
    const seedVariants = input.scope.variant_ids?.length
      ? await client.variants.getMany(input.scope.variant_ids, {
          chunkSize: IDS_PER_CALL,
          params: { status: ALL_VARIANT_STATUSES },
        })
      : []
    const ids = [...new Set([...(input.scope.product_ids ?? []), ...seedVariants.map((v) => v.product_id)])]
    const products = ids.length
      ? await client.products.getMany(ids, { chunkSize: IDS_PER_CALL, params: { status: ALL_PRODUCT_STATUSES } })
      : []
    if (!products.length) return { products: [], variants: [], images: [], readAt }
    return {
      products,
      ...(await childrenOf(
        client,
        products.map((p) => p.id)
      )),
      readAt,
    }
  }

  // incremental: changed products come with all their variants; the parents of changed variants too
  const [changed, changedVariants] = await Promise.all([
    productsWithVariants(client, { updated_at_min: input.since!, status: ALL_PRODUCT_STATUSES }),
    client.variants.all({ updated_at_min: input.since!, status: ALL_VARIANT_STATUSES }),
  ])
  const known = new Set(changed.products.map((p) => p.id))
  const missing = [...new Set(changedVariants.map((v) => v.product_id).filter((id) => !known.has(id)))]
  const parents: Array<{ products: Product[]; variants: Variant[] }> = []
  for (const ids of chunk(missing, IDS_PER_CALL))
    parents.push(await productsWithVariants(client, { ids, status: ALL_PRODUCT_STATUSES }))
  const products = [...changed.products, ...parents.flatMap((p) => p.products)]
  const variants = [...changed.variants, ...parents.flatMap((p) => p.variants)]
  return {
    products,
    variants,
    images: await imagesOf(
      client,
      products.map((p) => p.id)
    ),
    readAt,
  }
}

/** Products per page of a full import (TradeGecko's maximum page size). */
export const PAGE_SIZE = 250

export interface CatalogPage extends FetchedCatalog {
  /** Products in the whole catalog, when TradeGecko's pagination header says so. */
  totalProducts?: number
}

/**
 * A full import's catalog, page by page, so that memory holds one page of products and
 * variants at a time (plus every image record: small, and few pages): each page of
 * products (250) comes with its variants sideloaded (`include=variants`, which the
 * products index honours: spec §2.5), so a page is one call. Products whose variants did
 * not all come with the page (by their `variant_ids`) get them by `product_id`, as
 * without the sideload. Calls: ceil(P/250) product pages + the image pages (99 for
 * 20,000 products × 5 variants, where separate variant pages made it 499 and the
 * import waited for TradeGecko's next 300-request window).
 */
export async function* fullCatalogPages(
  client: TradegeckoClient,
  pageSize = PAGE_SIZE
): AsyncGenerator<CatalogPage, void, undefined> {
  const imagesByProduct = client.images.all({}).then((images) => {
    const byProduct = new Map<number, Image[]>()
    for (const image of images) {
      if (image.product_id === null || image.product_id === undefined) continue
      byProduct.set(image.product_id, [...(byProduct.get(image.product_id) ?? []), image])
    }
    return byProduct
  })
  // an unawaited rejection must not crash the process; it surfaces at the first page
  imagesByProduct.catch(() => undefined)
  // oldest first: a product created during the import lands on the last page instead of
  // shifting every later page by one (TradeGecko's default order is newest first)
  const pages = client.products
    .pages({ status: ALL_PRODUCT_STATUSES, limit: pageSize, order: "created_at asc", include: ["variants"] })
    [Symbol.asyncIterator]()
  for (;;) {
    // stock arrives with the page: stamped with the time before the request
    const readAt = new Date().toISOString()
    const next = await pages.next()
    if (next.done) return
    const page = next.value
    const variants = await pageVariants(client, page)
    const ids = page.items.map((p) => p.id)
    const byProduct = await imagesByProduct
    const images = ids.flatMap((id) => byProduct.get(id) ?? [])
    for (const id of ids) byProduct.delete(id)
    yield { products: page.items, variants, images, readAt, totalProducts: page.pagination?.total_records }
  }
}

/**
 * The products of a page whose variants must still be fetched: all of them when the
 * page came without sideloaded variants (`sideloaded` null), else those listing a
 * variant id (`variant_ids`) the sideload lacks.
 */
export function productsMissingVariants(
  products: Array<Pick<Product, "id" | "variant_ids">>,
  sideloaded: Array<Pick<Variant, "id">> | null
): number[] {
  if (!sideloaded) return products.map((p) => p.id)
  const have = new Set(sideloaded.map((v) => v.id))
  return products.filter((p) => (p.variant_ids ?? []).some((id) => !have.has(id))).map((p) => p.id)
}

/**
 * Runs `source` one item ahead of its consumer: the next page is fetched from
 * TradeGecko while the current one is written to Medusa.
 */
export async function* readAhead<T>(iterable: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const source = iterable[Symbol.asyncIterator]()
  let next = source.next()
  for (;;) {
    const current = await next
    if (current.done) return
    next = source.next()
    next.catch(() => undefined) // surfaces when awaited on the next turn
    yield current.value
  }
}
