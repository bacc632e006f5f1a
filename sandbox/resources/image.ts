// Image (/images; spec §3.4). No update. Created from a URL; the sandbox does
// not download it: base_path/file_name are split from the URL so that
// base_path + "/" + file_name gives it back (gem Image#url). Seeded images are
// served by the sandbox itself under /__sandbox/images/.
import type { Row } from "../store"
import { byPosition, define, type Ctx } from "./define"

export function imageBasePath(ctx: Ctx, image: Row): string {
  return image._local ? `${ctx.baseUrl}/__sandbox/images/${image.id}` : image.base_path
}

export function imageUrl(ctx: Ctx, image: Row, size?: "thumbnail" | "medium"): string {
  return `${imageBasePath(ctx, image)}/${size ? `${size}_` : ""}${image.file_name}`
}

export const image = define({
  name: "image",
  plural: "images",
  klass: "Image",
  idBase: 300001,
  ops: ["list", "show", "create", "delete"],
  writable: { name: "string" },
  createOnly: { product_id: "int", variant_ids: "strings", url: "string" },
  required: ["product_id", "url"],
  defaults: (ctx) => ({ name: null, variant_ids: [], uploader_id: ctx.caller.userId }),
  validate: (d, ctx, errors) => {
    if (d.product_id && !ctx.store.get("products", d.product_id)) errors.add("product_id", "is invalid")
    d.variant_ids = (d.variant_ids ?? []).map(Number)
    for (const id of d.variant_ids) {
      const v = ctx.store.get("variants", id)
      if (!v || String(v.product_id) !== String(d.product_id)) errors.add("variant_ids", "is invalid")
    }
    if (typeof d.url === "string") {
      let url: URL | undefined
      try {
        url = new URL(d.url)
      } catch {
        errors.add("url", "is invalid")
      }
      if (url) {
        const cut = d.url.lastIndexOf("/")
        d.base_path = d.url.slice(0, cut)
        d.file_name = d.url.slice(cut + 1)
      }
    }
    d.position = ctx.store.where("images", "product_id", d.product_id).length + 1
    delete d.url
  },
  events: { create: "image.create" },
  positioned: true,
  filters: {
    product_id: { type: "int" },
    uploader_id: { type: "int" },
    variant_id: (row, values) => row.variant_ids.some((id: number) => values.includes(String(id))),
    variant_ids: (row, values) => row.variant_ids.some((id: number) => values.includes(String(id))),
  },
  serialize: (r, ctx) => ({
    id: r.id,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
    product_id: r.product_id,
    variant_id: r.variant_ids[0] ?? null,
    variant_ids: r.variant_ids,
    uploader_id: r.uploader_id,
    name: r.name,
    position: r.position,
    base_path: imageBasePath(ctx, r),
    file_name: r.file_name,
    versions: ["thumbnail", "medium"],
    image_processing: false,
  }),
})

export const imagesOfVariant = (ctx: Ctx, variantId: unknown) =>
  ctx.store
    .all("images")
    .filter((i) => i.variant_ids.some((id: number) => String(id) === String(variantId)))
    .sort(byPosition)
