-- jsonl admin snapshots: drop the raw line when it holds a secret
update _landed_admin set _raw_line = '{"redacted": true}'
where _secret_columns is not null
