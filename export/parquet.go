package export

import (
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/parquet-go/parquet-go"
)

// NullPartition names the partition of rows whose partition column is NULL
// (Hive's convention, which DuckDB, Spark and Polars read).
const NullPartition = "__HIVE_DEFAULT_PARTITION__"

// Parquet writes rows as zstd-compressed Parquet files under dir, one per
// value of the partition column, Hive-style (dir/year=2023/part-0.parquet;
// the partition column lives in the path, not in the files); with
// partition "" (or a table without that column) one file dir/part-0.parquet.
// No rows still make one file (in the NULL partition), holding the schema.
// types gives each column's type (store.ExportTypes): INTEGER columns are
// INT64, REAL are DOUBLE, TEXT are UTF-8 strings, BLOB byte arrays; every
// column is optional, so NULL stays NULL. Columns are ordered by name in
// the files (the Parquet library's groups are). It returns the rows and
// the files written.
func Parquet(dir string, rows *sql.Rows, types []string, partition string) (int, []string, error) {
	cols, err := rows.Columns()
	if err != nil {
		return 0, nil, err
	}
	if len(types) != len(cols) {
		return 0, nil, fmt.Errorf("parquet: %d types for %d columns", len(types), len(cols))
	}
	part := -1
	group := parquet.Group{}
	for i, c := range cols {
		if c == partition {
			part = i
			continue
		}
		var node parquet.Node
		switch types[i] {
		case "INTEGER":
			node = parquet.Int(64)
		case "REAL":
			node = parquet.Leaf(parquet.DoubleType)
		case "BLOB":
			node = parquet.Leaf(parquet.ByteArrayType)
		default:
			node = parquet.String()
		}
		group[c] = parquet.Optional(node)
	}
	schema := parquet.NewSchema("nianbao", group)
	leaves := len(group)
	leaf := make([]int, len(cols)) // column → leaf index in the schema
	for i, c := range cols {
		leaf[i] = -1
		if i != part {
			lc, ok := schema.Lookup(c)
			if !ok {
				return 0, nil, fmt.Errorf("parquet: column %s not in the schema", c)
			}
			leaf[i] = lc.ColumnIndex
		}
	}

	type output struct {
		f       *os.File
		w       *parquet.Writer
		pending []parquet.Row
	}
	outs := map[string]*output{}
	var files []string
	closeAll := func() error {
		var first error
		for _, o := range outs {
			if _, err := o.w.WriteRows(o.pending); err != nil && first == nil {
				first = err
			}
			if err := o.w.Close(); err != nil && first == nil {
				first = err
			}
			if err := o.f.Close(); err != nil && first == nil {
				first = err
			}
		}
		outs = map[string]*output{}
		return first
	}
	defer closeAll()
	writer := func(key string) (*output, error) {
		if o, ok := outs[key]; ok {
			return o, nil
		}
		p := filepath.Join(dir, "part-0.parquet")
		if part >= 0 {
			p = filepath.Join(dir, cols[part]+"="+key, "part-0.parquet")
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		f, err := os.Create(p)
		if err != nil {
			return nil, err
		}
		w := parquet.NewWriter(f, schema, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(1<<17), parquet.CreatedBy("nianbao", "", ""))
		o := &output{f: f, w: w}
		outs[key] = o
		files = append(files, p)
		return o, nil
	}

	vals, ptrs := scanTargets(len(cols))
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, files, err
		}
		key := ""
		if part >= 0 {
			key = NullPartition
			if vals[part] != nil {
				key = format(vals[part])
			}
		}
		o, err := writer(key)
		if err != nil {
			return n, files, err
		}
		row := make(parquet.Row, leaves)
		for i, v := range vals {
			if leaf[i] < 0 {
				continue
			}
			pv, err := parquetValue(v, types[i])
			if err != nil {
				return n, files, fmt.Errorf("parquet: row %d, column %s: %w", n+1, cols[i], err)
			}
			row[leaf[i]] = pv.Level(0, defLevel(v), leaf[i])
		}
		if o.pending = append(o.pending, row); len(o.pending) == 1024 {
			if _, err := o.w.WriteRows(o.pending); err != nil {
				return n, files, err
			}
			o.pending = o.pending[:0]
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, files, err
	}
	if len(outs) == 0 { // no rows: one empty file with the schema, so readers find the columns
		key := ""
		if part >= 0 {
			key = NullPartition
		}
		if _, err := writer(key); err != nil {
			return n, files, err
		}
	}
	return n, files, closeAll()
}

func defLevel(v any) int {
	if v == nil {
		return 0
	}
	return 1
}

// parquetValue converts a scanned SQLite value to the column's type.
func parquetValue(v any, typ string) (parquet.Value, error) {
	if v == nil {
		return parquet.NullValue(), nil
	}
	switch typ {
	case "INTEGER":
		switch x := v.(type) {
		case int64:
			return parquet.Int64Value(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return parquet.Int64Value(int64(x)), nil
			}
		case bool:
			if x {
				return parquet.Int64Value(1), nil
			}
			return parquet.Int64Value(0), nil
		}
		return parquet.Value{}, fmt.Errorf("%v (%T) in an INTEGER column", v, v)
	case "REAL":
		switch x := v.(type) {
		case float64:
			return parquet.DoubleValue(x), nil
		case int64:
			return parquet.DoubleValue(float64(x)), nil
		}
		return parquet.Value{}, fmt.Errorf("%v (%T) in a REAL column", v, v)
	case "BLOB":
		switch x := v.(type) {
		case []byte:
			return parquet.ByteArrayValue(x), nil
		case string:
			return parquet.ByteArrayValue([]byte(x)), nil
		}
	}
	switch x := v.(type) {
	case string:
		return parquet.ByteArrayValue([]byte(x)), nil
	case []byte:
		return parquet.ByteArrayValue(x), nil
	case int64:
		return parquet.ByteArrayValue([]byte(strconv.FormatInt(x, 10))), nil
	}
	return parquet.ByteArrayValue([]byte(format(v))), nil
}
