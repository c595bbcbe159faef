select count(*) from _malformed
