// Product (/products; spec §3.1). tags is a comma-separated string in real JSON.
// DELETE archives the product and its variants and fires product.destroy.
import { variantStock } from "../domain/stock"
import { qty } from "../format"
import type { Row } from "../store"
import { byPosition, define, hasMany, stamps, type Ctx } from "./define"
import { imageUrl } from "./image"

const STATUSES = ["active", "disabled", "archived"]

export const productVariants = (ctx: Ctx, product: Row) =>
  [...ctx.store.where("variants", "product_id", product.id)].sort(byPosition)

function archiveVariants(ctx: Ctx, product: Row): void {
  for (const v of ctx.store.where("variants", "product_id", product.id)) {
    if (v.status !== "archived") {
      v.status = "archived"
      ctx.store.touch(v)
    }
  }
}

export const product = define({
  name: "product",
  plural: "products",
  klass: "Product",
  idBase: 100001,
  ops: ["list", "show", "create", "update", "delete"],
  writable: {
    name: "string",
    description: "string",
    product_type: "string",
    brand: "string",
    supplier: "string",
    vendor: "string",
    opt1: "string",
    opt2: "string",
    opt3: "string",
    tags: "tags",
    status: "string",
  },
  required: ["name"],
  defaults: () => ({
    description: null,
    product_type: null,
    brand: null,
    supplier: null,
    vendor: null,
    opt1: null,
    opt2: null,
    opt3: null,
    tags: null,
    status: "active",
  }),
  validate: (d, _ctx, errors) => {
    if (!STATUSES.includes(d.status)) errors.add("status", "is not included in the list")
  },
  afterUpdate: (row, _input, ctx, changed) => {
    if (changed && row.status === "archived") archiveVariants(ctx, row)
  },
  destroy: (row, ctx) => {
    if (row.status === "archived") return
    row.status = "archived"
    ctx.store.touch(row)
    archiveVariants(ctx, row)
    ctx.store.emit("product.destroy", "products", row.id)
  },
  events: { create: "product.create" },
  filters: {
    brand: { type: "string" },
    product_type: { type: "string" },
    supplier: { type: "string" },
    vendor: { type: "string" },
    tags: { type: "tags" },
    sku: (row, values, ctx) => productVariants(ctx, row).some((v) => values.includes(v.sku)),
  },
  search: (r, ctx) =>
    [r.name, r.description, r.brand, r.product_type, ...productVariants(ctx, r).map((v) => v.sku)].join(" "),
  listMeta: true,
  includes: { variants: hasMany("variants", "product_id"), images: hasMany("images", "product_id") },
  serialize: (r, ctx) => {
    const variants = productVariants(ctx, r)
    const images = [...ctx.store.where("images", "product_id", r.id)].sort(byPosition)
    const live = variants.filter((v) => v.status !== "archived")
    return {
      ...stamps(r),
      brand: r.brand,
      description: r.description,
      image_url: images[0] ? imageUrl(ctx, images[0], "thumbnail") : null,
      name: r.name,
      opt1: r.opt1,
      opt2: r.opt2,
      opt3: r.opt3,
      product_type: r.product_type,
      quantity: qty(live.reduce((s, v) => s + variantStock(ctx.store, v).onHand, 0)),
      search_cache: variants.map((v) => [v.sku, v.name].filter(Boolean).join(" ")).join(" "),
      status: r.status,
      supplier: r.supplier,
      supplier_ids: [],
      image_ids: images.map((i) => i.id),
      tags: r.tags,
      variant_ids: variants.map((v) => v.id),
      vendor: r.vendor,
    }
  },
})
