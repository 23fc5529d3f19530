package export

import (
	"context"
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
	l, err := newLayout(cols, types, partition)
	if err != nil {
		return 0, nil, err
	}
	out := &sink{dir: dir, l: l, outs: map[string]*output{}}
	defer out.closeAll()
	vals, ptrs := scanTargets(len(cols))
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, out.files, err
		}
		key, row, err := l.row(vals)
		if err != nil {
			return n, out.files, fmt.Errorf("parquet: row %d, %w", n+1, err)
		}
		if err := out.add(key, row); err != nil {
			return n, out.files, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, out.files, err
	}
	return n, out.files, out.finish()
}

// ParquetParts is Parquet over n consecutive parts, read and converted by
// up to jobs goroutines at once and written in order: the same files as
// Parquet over the parts' concatenation. part(ctx, i, read) runs the i-th
// part's query and hands its rows to read (n ≥ 1).
func ParquetParts(ctx context.Context, dir string, n, jobs int, part func(ctx context.Context, i int, read func(*sql.Rows) error) error, types []string, partition string) (int, []string, error) {
	type chunk struct {
		l    *layout
		keys []string
		rows []parquet.Row
	}
	var (
		out   *sink
		total int
	)
	defer func() {
		if out != nil {
			out.closeAll()
		}
	}()
	err := inParts(ctx, n, jobs, func(ctx context.Context, i int) (*chunk, error) {
		c := &chunk{}
		return c, part(ctx, i, func(rows *sql.Rows) error {
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			if c.l, err = newLayout(cols, types, partition); err != nil {
				return err
			}
			vals, ptrs := scanTargets(len(cols))
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					return err
				}
				key, row, err := c.l.row(vals)
				if err != nil {
					return fmt.Errorf("parquet: part %d, row %d, %w", i+1, len(c.rows)+1, err)
				}
				c.keys = append(c.keys, key)
				c.rows = append(c.rows, row)
			}
			return rows.Err()
		})
	}, func(i int, c *chunk) error {
		if c.l == nil {
			return fmt.Errorf("parquet: part %d read no rows object", i+1)
		}
		if out == nil {
			out = &sink{dir: dir, l: c.l, outs: map[string]*output{}}
		}
		for j, row := range c.rows {
			if err := out.add(c.keys[j], row); err != nil {
				return err
			}
		}
		total += len(c.rows)
		return nil
	})
	if err != nil {
		if out != nil {
			return total, out.files, err
		}
		return total, nil, err
	}
	return total, out.files, out.finish()
}

// layout maps an export's columns onto a Parquet schema.
type layout struct {
	cols, types []string
	part        int   // the partition column, -1 for none
	leaf        []int // column → leaf index in the schema, -1 for the partition
	leaves      int
	schema      *parquet.Schema
}

func newLayout(cols, types []string, partition string) (*layout, error) {
	if len(types) != len(cols) {
		return nil, fmt.Errorf("parquet: %d types for %d columns", len(types), len(cols))
	}
	l := &layout{cols: cols, types: types, part: -1, leaf: make([]int, len(cols))}
	group := parquet.Group{}
	for i, c := range cols {
		if c == partition {
			l.part = i
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
	l.schema = parquet.NewSchema("nianbao", group)
	l.leaves = len(group)
	for i, c := range cols {
		l.leaf[i] = -1
		if i != l.part {
			lc, ok := l.schema.Lookup(c)
			if !ok {
				return nil, fmt.Errorf("parquet: column %s not in the schema", c)
			}
			l.leaf[i] = lc.ColumnIndex
		}
	}
	return l, nil
}

// row converts one scanned row: its partition key and its Parquet row.
func (l *layout) row(vals []any) (string, parquet.Row, error) {
	key := ""
	if l.part >= 0 {
		key = NullPartition
		if vals[l.part] != nil {
			key = format(vals[l.part])
		}
	}
	row := make(parquet.Row, l.leaves)
	for i, v := range vals {
		if l.leaf[i] < 0 {
			continue
		}
		pv, err := parquetValue(v, l.types[i])
		if err != nil {
			return "", nil, fmt.Errorf("column %s: %w", l.cols[i], err)
		}
		row[l.leaf[i]] = pv.Level(0, defLevel(v), l.leaf[i])
	}
	return key, row, nil
}

// sink writes rows into one file per partition key.
type sink struct {
	dir   string
	l     *layout
	outs  map[string]*output
	files []string
}

type output struct {
	f       *os.File
	w       *parquet.Writer
	pending []parquet.Row
}

func (s *sink) writer(key string) (*output, error) {
	if o, ok := s.outs[key]; ok {
		return o, nil
	}
	p := filepath.Join(s.dir, "part-0.parquet")
	if s.l.part >= 0 {
		p = filepath.Join(s.dir, s.l.cols[s.l.part]+"="+key, "part-0.parquet")
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	w := parquet.NewWriter(f, s.l.schema, parquet.Compression(&parquet.Zstd), parquet.MaxRowsPerRowGroup(1<<17), parquet.CreatedBy("nianbao", "", ""))
	o := &output{f: f, w: w}
	s.outs[key] = o
	s.files = append(s.files, p)
	return o, nil
}

func (s *sink) add(key string, row parquet.Row) error {
	o, err := s.writer(key)
	if err != nil {
		return err
	}
	if o.pending = append(o.pending, row); len(o.pending) == 1024 {
		if _, err := o.w.WriteRows(o.pending); err != nil {
			return err
		}
		o.pending = o.pending[:0]
	}
	return nil
}

// finish writes an empty file holding the schema when there were no rows
// (so readers find the columns), then closes every file.
func (s *sink) finish() error {
	if len(s.outs) == 0 {
		key := ""
		if s.l.part >= 0 {
			key = NullPartition
		}
		if _, err := s.writer(key); err != nil {
			return err
		}
	}
	return s.closeAll()
}

func (s *sink) closeAll() error {
	var first error
	for _, o := range s.outs {
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
	s.outs = map[string]*output{}
	return first
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
