// User (GET /users, /users/current; spec §3.21). No create.
import { ts } from "../format"
import { define, stamps } from "./define"

export const user = define({
  name: "user",
  plural: "users",
  klass: "User",
  ops: ["list", "show", "update"],
  writable: {
    first_name: "string",
    last_name: "string",
    location: "string",
    position: "string",
    phone_number: "string",
    mobile: "string",
  },
  search: ["first_name", "last_name", "email"],
  filters: { email: { type: "string" } },
  serialize: (r) => ({
    ...stamps(r),
    action_items_email: "weekly",
    avatar_url: null,
    billing_contact: r.billing_contact,
    email: r.email,
    first_name: r.first_name,
    last_name: r.last_name,
    last_sign_in_at: ts(r.last_sign_in_at),
    location: r.location,
    login_id: r.id,
    mobile: r.mobile,
    mobile_phone: r.mobile, // older name, still in recorded traffic
    notification_email: true,
    permissions: r.permissions,
    phone_number: r.phone_number,
    position: r.position,
    sales_report_email: true,
    status: r.status,
    account_id: r.account_id,
  }),
})
