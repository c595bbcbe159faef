insert into _stage_manifest
values (
    $feed, $file, $file_name, $arrived, $content_hash, $size_bytes, $status, $rows_seen,
    $message, $loaded_at
)
