create or replace temp table _batch_files (
    path varchar,
    file varchar,
    arrived date,
    content_hash varchar
)
