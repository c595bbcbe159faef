-- JSON numbers are read as the text they are written as, not through a double: each
-- valid line is re-spelt token by token with its numbers as strings.
update _jsonl_lines set
    line = array_to_string(
        list_transform(
            regexp_extract_all(line, $token),
            lambda t: case when regexp_full_match(t, $number) then '"' || t || '"' else t end
        ),
        ''
    )
where case when json_valid(line) then json_type(line) = 'OBJECT' else false end
