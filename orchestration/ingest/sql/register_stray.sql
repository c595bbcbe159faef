-- a stray: never read, so no content hash and no rows
insert into raw.file_manifest
values ($feed, $file, $file_name, $arrived, null, $size_bytes, 'rejected', 0, $message, $loaded_at)
