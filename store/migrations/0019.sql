-- Bulk provenance: a cell's page and box in a PDF (x, y, width, height in
-- points, rounded to 0.1), kept with its block, row and column so exports
-- carry where every value was printed.
ALTER TABLE cell_values ADD COLUMN at_page INTEGER;
ALTER TABLE cell_values ADD COLUMN at_box TEXT;
