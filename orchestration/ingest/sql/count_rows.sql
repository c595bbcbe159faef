select count(*) from {source}
