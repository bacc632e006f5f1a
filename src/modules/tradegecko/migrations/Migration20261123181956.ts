import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123181956 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_webhook_delivery" drop constraint if exists "tradegecko_webhook_delivery_delivery_id_unique";`
    )
    this.addSql(
      `alter table if exists "tradegecko_variant_link" drop constraint if exists "tradegecko_variant_link_variant_id_unique";`
    )
    this.addSql(
      `alter table if exists "tradegecko_variant_link" drop constraint if exists "tradegecko_variant_link_tradegecko_variant_id_unique";`
    )
    this.addSql(
      `alter table if exists "tradegecko_product_link" drop constraint if exists "tradegecko_product_link_product_id_unique";`
    )
    this.addSql(
      `alter table if exists "tradegecko_product_link" drop constraint if exists "tradegecko_product_link_tradegecko_product_id_unique";`
    )
    this.addSql(
      `create table if not exists "tradegecko_product_link" ("id" text not null, "tradegecko_product_id" integer not null, "product_id" text not null, "tradegecko_updated_at" text null, "content_hash" text null, "hidden_by_sync" boolean not null default false, "archived" boolean not null default false, "last_synced_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_product_link_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_product_link_deleted_at" ON "tradegecko_product_link" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_product_link_tradegecko_product_id_unique" ON "tradegecko_product_link" ("tradegecko_product_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_product_link_product_id_unique" ON "tradegecko_product_link" ("product_id") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "tradegecko_settings" ("id" text not null, "sync_from_tag" text null, "default_price_list" text null, "default_stock_location_id" text null, "location_map" jsonb null, "checkout_freshness_seconds" integer null, "order_sync_level" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_settings_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_settings_deleted_at" ON "tradegecko_settings" ("deleted_at") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "tradegecko_sync_run_item" ("id" text not null, "run_id" text not null, "record_type" text not null, "tradegecko_id" integer not null, "medusa_id" text null, "outcome" text check ("outcome" in ('created', 'updated', 'unchanged', 'skipped', 'failed')) not null, "message" text null, "changes" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_sync_run_item_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_sync_run_item_deleted_at" ON "tradegecko_sync_run_item" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_sync_run_item_run_id_outcome" ON "tradegecko_sync_run_item" ("run_id", "outcome") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "tradegecko_variant_link" ("id" text not null, "tradegecko_variant_id" integer not null, "tradegecko_product_id" integer not null, "variant_id" text not null, "inventory_item_id" text null, "sku" text null, "stock_synced_at" timestamptz null, "last_synced_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_variant_link_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_variant_link_deleted_at" ON "tradegecko_variant_link" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_variant_link_tradegecko_variant_id_unique" ON "tradegecko_variant_link" ("tradegecko_variant_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_variant_link_variant_id_unique" ON "tradegecko_variant_link" ("variant_id") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_variant_link_tradegecko_product_id" ON "tradegecko_variant_link" ("tradegecko_product_id") WHERE deleted_at IS NULL;`
    )

    this.addSql(
      `create table if not exists "tradegecko_webhook_delivery" ("id" text not null, "delivery_id" text not null, "event" text not null, "object_id" integer not null, "status" text check ("status" in ('received', 'processed', 'ignored', 'failed')) not null default 'received', "run_id" text null, "error" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_webhook_delivery_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_webhook_delivery_deleted_at" ON "tradegecko_webhook_delivery" ("deleted_at") WHERE deleted_at IS NULL;`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_webhook_delivery_delivery_id_unique" ON "tradegecko_webhook_delivery" ("delivery_id");`
    )

    this.addSql(
      `alter table if exists "tradegecko_sync_run" drop constraint if exists "tradegecko_sync_run_kind_check";`
    )

    this.addSql(
      `alter table if exists "tradegecko_sync_run" add column if not exists "processed" integer not null default 0, add column if not exists "total" integer null, add column if not exists "dry_run" boolean not null default false, add column if not exists "since" timestamptz null, add column if not exists "scope" jsonb null, add column if not exists "heartbeat_at" timestamptz null;`
    )
    this.addSql(
      `alter table if exists "tradegecko_sync_run" add constraint "tradegecko_sync_run_kind_check" check("kind" in ('catalog', 'product', 'stock', 'order_push', 'order_status'));`
    )
    this.addSql(
      `CREATE UNIQUE INDEX IF NOT EXISTS "IDX_tradegecko_sync_run_one_catalog_running" ON "tradegecko_sync_run" ("kind") WHERE status = 'running' AND dry_run = false AND kind = 'catalog' AND deleted_at IS NULL;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tradegecko_product_link" cascade;`)

    this.addSql(`drop table if exists "tradegecko_settings" cascade;`)

    this.addSql(`drop table if exists "tradegecko_sync_run_item" cascade;`)

    this.addSql(`drop table if exists "tradegecko_variant_link" cascade;`)

    this.addSql(`drop table if exists "tradegecko_webhook_delivery" cascade;`)

    this.addSql(
      `alter table if exists "tradegecko_sync_run" drop constraint if exists "tradegecko_sync_run_kind_check";`
    )

    this.addSql(`drop index if exists "IDX_tradegecko_sync_run_one_catalog_running";`)
    this.addSql(
      `alter table if exists "tradegecko_sync_run" drop column if exists "processed", drop column if exists "total", drop column if exists "dry_run", drop column if exists "since", drop column if exists "scope", drop column if exists "heartbeat_at";`
    )

    this.addSql(
      `alter table if exists "tradegecko_sync_run" add constraint "tradegecko_sync_run_kind_check" check("kind" in ('catalog', 'stock', 'order_push', 'order_status'));`
    )
  }
}
