select 1 from raw.file_manifest
where feed = $feed and file = $file
