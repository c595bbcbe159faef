insert into _stage_suppressed
values ($content_hash, $file, $arrived, $pattern, $pattern_type, $rows_suppressed, $loaded_at)
