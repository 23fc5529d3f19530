UPDATE cell_values SET semantic = '' WHERE (semantic = 'empty' AND value IS NULL) OR (semantic = 'zero' AND value = 0) OR (semantic = 'numeric' AND value <> 0);
