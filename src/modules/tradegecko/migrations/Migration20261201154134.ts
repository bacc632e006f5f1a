import { Migration } from "@medusajs/framework/mikro-orm/migrations"

const TOKEN_COLUMNS = `"connection_type", "privileged_token", "oauth_access_token", "oauth_refresh_token", "oauth_expires_at", "connected_at"`

/**
 * The connection's credential moves out of the merchant's settings into its own table,
 * tradegecko_connection_token. An install connected from the admin keeps its connection:
 * the token columns of the settings row are copied over before they are dropped.
 */
export class Migration20261201154134 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table if not exists "tradegecko_connection_token" ("id" text not null, "connection_type" text null, "privileged_token" text null, "oauth_access_token" text null, "oauth_refresh_token" text null, "oauth_expires_at" timestamptz null, "connected_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "tradegecko_connection_token_pkey" primary key ("id"));`
    )
    this.addSql(
      `CREATE INDEX IF NOT EXISTS "IDX_tradegecko_connection_token_deleted_at" ON "tradegecko_connection_token" ("deleted_at") WHERE deleted_at IS NULL;`
    )

    // The settings row's connection (if any, and if not moved yet) becomes the token row.
    this.addSql(`do $move$ begin
  if exists (select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'tradegecko_settings' and column_name = 'oauth_access_token') then
    insert into "tradegecko_connection_token" ("id", ${TOKEN_COLUMNS}, "created_at", "updated_at")
    select 'tgtok_' || upper(substr(md5("id"), 1, 26)), ${TOKEN_COLUMNS}, now(), now()
    from "tradegecko_settings"
    where "deleted_at" is null
      and ("connection_type" is not null or "privileged_token" is not null or "oauth_access_token" is not null or "oauth_refresh_token" is not null)
      and not exists (select 1 from "tradegecko_connection_token" where "deleted_at" is null)
    order by "created_at"
    limit 1;
  end if;
end $move$;`)

    this.addSql(
      `alter table if exists "tradegecko_settings" drop column if exists "connection_type", drop column if exists "privileged_token", drop column if exists "oauth_access_token", drop column if exists "oauth_refresh_token", drop column if exists "oauth_expires_at", drop column if exists "connected_at";`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" add column if not exists "connection_type" text null, add column if not exists "privileged_token" text null, add column if not exists "oauth_access_token" text null, add column if not exists "oauth_refresh_token" text null, add column if not exists "oauth_expires_at" timestamptz null, add column if not exists "connected_at" timestamptz null;`
    )

    // The token row goes back into the settings row (made if the merchant never saved a setting).
    this.addSql(`insert into "tradegecko_settings" ("id", "created_at", "updated_at")
    select 'tgset_' || upper(substr(md5("id"), 1, 26)), now(), now() from "tradegecko_connection_token"
    where "deleted_at" is null and not exists (select 1 from "tradegecko_settings" where "deleted_at" is null)
    limit 1;`)
    this
      .addSql(`update "tradegecko_settings" s set ("connection_type", "privileged_token", "oauth_access_token", "oauth_refresh_token", "oauth_expires_at", "connected_at") =
      (select ${TOKEN_COLUMNS} from "tradegecko_connection_token" t where t."deleted_at" is null order by t."created_at" limit 1)
    where s."deleted_at" is null and exists (select 1 from "tradegecko_connection_token" where "deleted_at" is null);`)

    this.addSql(`drop table if exists "tradegecko_connection_token" cascade;`)
  }
}
