insert into _batch_files values ($path, $file, $arrived, $content_hash)
