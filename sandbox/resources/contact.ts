// Contact (/contacts; spec §3.9).
import type { Row } from "../store"
import { define, mustExist, stamps } from "./define"

export const contact = define({
  name: "contact",
  plural: "contacts",
  klass: "Contact",
  idBase: 600001,
  ops: ["list", "show", "create", "update", "delete"],
  writable: {
    first_name: "string",
    last_name: "string",
    email: "string",
    phone_number: "string",
    phone: "string",
    mobile: "string",
    fax: "string",
    position: "string",
    location: "string",
    notes: "string",
    online_ordering: "bool",
  },
  createOnly: { company_id: "int" },
  required: ["company_id", "first_name"],
  defaults: () => ({
    last_name: null,
    email: null,
    phone_number: null,
    mobile: null,
    fax: null,
    position: null,
    location: null,
    notes: null,
    online_ordering: false,
    status: "active",
  }),
  validate: (d: Row, ctx, errors) => {
    if (d.company_id) mustExist(ctx, "companies", d.company_id, "company_id", errors)
    // `phone` is the pre-2016 name of phone_number (spec §7.15)
    if (d.phone !== undefined && d.phone !== null) d.phone_number = d.phone
    delete d.phone
  },
  events: { create: "contact.create", update: "contact.update" },
  filters: { company_id: { type: "int" }, email: { type: "string" } },
  search: ["first_name", "last_name", "email"],
  serialize: (r) => ({
    ...stamps(r),
    company_id: r.company_id,
    email: r.email,
    fax: r.fax,
    first_name: r.first_name,
    last_name: r.last_name,
    location: r.location,
    mobile: r.mobile,
    notes: r.notes,
    phone_number: r.phone_number,
    position: r.position,
    status: r.status,
    iguana_admin: null,
    online_ordering: r.online_ordering,
    invitation_accepted_at: null,
    phone: r.phone_number,
  }),
})
