create schema if not exists raw;

create table if not exists raw.file_manifest (
    feed varchar not null,
    file varchar not null,
    file_name varchar not null,
    arrived date,
    content_hash varchar,
    size_bytes bigint,
    status varchar not null,
    rows_seen bigint not null,
    message varchar,
    loaded_at timestamptz not null
);

-- a stray in a folder that gives no date has no arrival (warehouses made before had one)
alter table raw.file_manifest alter column arrived drop not null;

create table if not exists raw.suppressed_rows (
    content_hash varchar not null,
    file varchar not null,
    arrived date not null,
    pattern varchar not null,
    pattern_type varchar not null,
    rows_suppressed bigint not null,
    loaded_at timestamptz not null
);
