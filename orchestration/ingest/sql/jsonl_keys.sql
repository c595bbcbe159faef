select distinct unnest(json_keys(line)) from _jsonl_lines
where case when json_valid(line) then json_type(line) = 'OBJECT' else false end
