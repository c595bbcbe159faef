select file from raw.file_manifest
