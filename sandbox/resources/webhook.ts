// Webhook subscriptions (/webhooks; spec §5.1). One event per webhook; they
// belong to the OAuth application that created them.
import { define, stamps } from "./define"

/** Final event list (spec §5.2). Events for resources the sandbox doesn't model can be subscribed but never fire. */
export const WEBHOOK_EVENTS = [
  "account.update",
  "address.create",
  "address.update",
  "channel.destroy",
  "company.create",
  "company.update",
  "company.destroy",
  "contact.create",
  "contact.update",
  "document_theme.update",
  "fulfillment.create",
  "fulfillment.fulfilled",
  "fulfillment_return.create",
  "fulfillment_return.received",
  "image.create",
  "invoice.create",
  "invoice.destroy",
  "location.create",
  "location.update",
  "order.create",
  "order.finalized",
  "order.fulfilled",
  "payment.create",
  "procurement.create",
  "product.create",
  "product.destroy",
  "purchase_order.create",
  "purchase_order.received",
  "stock_adjustment.create",
  "stock_transfer.create",
  "variant.create",
  "variant.stock_level_update",
] as const

export const webhook = define({
  name: "webhook",
  plural: "webhooks",
  klass: "Webhook",
  ops: ["list", "show", "create", "update", "delete"],
  writable: { event: "string", address: "string" },
  required: ["event", "address"],
  defaults: (ctx) => ({ oauth_application_id: ctx.caller.applicationId }),
  validate: (d, _ctx, errors) => {
    if (d.event && !(WEBHOOK_EVENTS as readonly string[]).includes(d.event))
      errors.add("event", "is not included in the list")
    if (d.address) {
      let ok = false
      try {
        ok = ["http:", "https:"].includes(new URL(d.address).protocol)
      } catch {
        ok = false
      }
      if (!ok) errors.add("address", "is invalid")
    }
  },
  filters: { event: { type: "string" }, address: { type: "string" } },
  serialize: (r) => ({
    ...stamps(r),
    event: r.event,
    address: r.address,
    oauth_application_id: r.oauth_application_id,
  }),
})
