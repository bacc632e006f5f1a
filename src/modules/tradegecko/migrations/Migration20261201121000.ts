import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/** Order status changes recorded before they are sent (and retried); webhook deliveries retried or dismissed. */
export class Migration20261201121000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "tradegecko_order_status_change" ("id" text not null, "order_id" text not null, "direction" text check ("direction" in ('to_tradegecko', 'from_tradegecko')) not null, "action" text not null, "status" text check ("status" in ('pending', 'sent', 'failed', 'attention', 'dismissed')) not null default 'pending', "attempts" integer not null default 0, "last_error" text null, "next_attempt_at" timestamptz null, "done_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_order_status_change_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_order_status_change_deleted_at" ON "tradegecko_order_status_change" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_order_status_change_order_id_direction_action_unique" ON "tradegecko_order_status_change" ("order_id", "direction", "action") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_order_status_change_status_next_attempt_at" ON "tradegecko_order_status_change" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" drop constraint if exists "tradegecko_webhook_delivery_status_check";`
    )
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" add constraint "tradegecko_webhook_delivery_status_check" check ("status" in ('received', 'processed', 'ignored', 'failed', 'dismissed'));`
    )
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" add column if not exists "attempts" integer not null default 0, add column if not exists "next_attempt_at" timestamptz null;`
    )
    // deliveries that failed before retries existed are retried from now on
    this.addSql(
      `update "tradegecko_webhook_delivery" set "next_attempt_at" = now() where "status" = 'failed' and "next_attempt_at" is null;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_webhook_delivery_status_next_attempt_at" ON "tradegecko_webhook_delivery" ("status", "next_attempt_at") WHERE deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "IDX_tradegecko_webhook_delivery_status_next_attempt_at";`)
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" drop column if exists "attempts", drop column if exists "next_attempt_at";`
    )
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" drop constraint if exists "tradegecko_webhook_delivery_status_check";`
    )
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" add constraint "tradegecko_webhook_delivery_status_check" check ("status" in ('received', 'processed', 'ignored', 'failed'));`
    )
    this.addSql(`drop table if exists "tradegecko_order_status_change" cascade;`)
  }
}
