// The inventory service's tables. `writes` holds the game-day markers: every acknowledged write carries a
// client-chosen sequence id, so lost writes can be counted by reading the table back after a failover.
export const INVENTORY_SCHEMA = `
create table if not exists items (
  id bigserial primary key,
  name text not null,
  quantity integer not null default 0 check (quantity >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create table if not exists writes (
  run text not null default '',
  seq bigint not null,
  payload text,
  az text,
  written_at timestamptz not null default clock_timestamp(),
  primary key (run, seq)
);
`;
