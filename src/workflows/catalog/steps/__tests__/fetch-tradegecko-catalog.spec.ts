import { productsMissingVariants } from "../fetch-tradegecko-catalog"

describe("full import: a page's sideloaded variants", () => {
  const products = [
    { id: 1, variant_ids: [11, 12] },
    { id: 2, variant_ids: [21] },
    { id: 3, variant_ids: [] },
  ]

  it("are enough when every product's variant_ids came with the page", () => {
    expect(productsMissingVariants(products, [{ id: 11 }, { id: 12 }, { id: 21 }])).toEqual([])
  })

  it("leave the products lacking one of their variants to be fetched by product id", () => {
    expect(productsMissingVariants(products, [{ id: 11 }, { id: 21 }])).toEqual([1])
    expect(productsMissingVariants(products, [])).toEqual([1, 2])
  })

  it("a page without the sideload (an API ignoring include) fetches the variants of every product", () => {
    expect(productsMissingVariants(products, null)).toEqual([1, 2, 3])
  })
})
