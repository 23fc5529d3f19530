-- An agency's 统一社会信用代码 (the start of the 索引号 many pages print):
-- two spellings with one code are one agency; two agencies never share one.
ALTER TABLE agencies ADD COLUMN credit_code TEXT;
CREATE UNIQUE INDEX agencies_credit_code ON agencies(credit_code) WHERE credit_code IS NOT NULL;
