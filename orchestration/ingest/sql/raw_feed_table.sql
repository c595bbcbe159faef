-- <table>: the feed's raw table; <column_definitions>: its contract columns, each varchar;
-- <extra>: the admin tables' secret_columns column and a comma, or nothing
create table if not exists {table} (
    content_hash varchar not null,
    file varchar not null,
    arrived date not null,
    row_number bigint not null,
    loaded_at timestamptz not null,
    {column_definitions},
    raw varchar,
    {extra}
    malformed varchar
);

-- warehouses made before: the reader's reason for a record it could not split
alter table {table} add column if not exists malformed varchar;
