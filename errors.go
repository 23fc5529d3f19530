package nianbao

import (
	"errors"
	"io/fs"
	"strings"
)

// ErrorClass says why a document yielded no report, for counting failures
// and re-running them by class (documents.error_class, `nianbao
// reextract --class`).
type ErrorClass string

// Error classes, stored as these strings.
const (
	ClassScanned     ErrorClass = "scanned"      // no text layer (a scan or image-only file)
	ClassUnreadable  ErrorClass = "unreadable"   // malformed, or text without usable character maps
	ClassEncrypted   ErrorClass = "encrypted"    // needs a password
	ClassNotReport   ErrorClass = "not_a_report" // read, but no standard table and not titled as a report (a 解读 or 图解 page, news)
	ClassNoTables    ErrorClass = "no_tables"    // titled as a report, but no standard table was read (tables as images?)
	ClassTooLarge    ErrorClass = "too_large"    // over a size limit
	ClassUnsupported ErrorClass = "unsupported"  // a form nianbao does not read (binary, old Word, other archives)
	ClassEmpty       ErrorClass = "empty"        // no bytes
	ClassNotFile     ErrorClass = "not_a_file"   // a folder, FIFO or device where a file was expected
	ClassIO          ErrorClass = "io"           // could not be read from disk or kept
	ClassInternal    ErrorClass = "internal"     // a reader failed unexpectedly (a bug)
	ClassOther       ErrorClass = "other"        // anything else
)

// ErrorClasses lists every class, for usage messages.
var ErrorClasses = []ErrorClass{ClassScanned, ClassUnreadable, ClassEncrypted, ClassNotReport, ClassNoTables, ClassTooLarge,
	ClassUnsupported, ClassEmpty, ClassNotFile, ClassIO, ClassInternal, ClassOther}

// classError is a sentinel error that knows its class.
type classError struct {
	msg   string
	class ErrorClass
}

func (e *classError) Error() string     { return e.msg }
func (e *classError) Class() ErrorClass { return e.class }

// NewError makes a sentinel error of a class: errors.Is finds the sentinel,
// ClassOf finds the class, however it is wrapped.
func NewError(class ErrorClass, msg string) error { return &classError{msg: msg, class: class} }

// ErrNoReport marks a document that was read but held no standard table
// (and is not titled as a report).
var ErrNoReport = NewError(ClassNotReport, "no standard table found")

// ErrNoTables marks a document titled as a report in which no standard
// table was found: its tables may be images, or it is a page about a
// report (an illustrated summary), not the report.
var ErrNoTables = NewError(ClassNoTables, "titled as a report, but no standard table found")

// ErrInternal marks a reader that failed unexpectedly (a recovered panic).
var ErrInternal = NewError(ClassInternal, "internal error")

// ClassOf returns the class of an error: the class of the first sentinel
// in its chain, ClassUnreadable for other reader errors, "" for nil.
func ClassOf(err error) ErrorClass {
	if err == nil {
		return ""
	}
	var c interface{ Class() ErrorClass }
	if errors.As(err, &c) {
		return c.Class()
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return ClassIO
	}
	return ClassUnreadable
}

// ClassifyMessage classifies a stored message of a build that did not keep
// classes (an upgrade's one look at message text).
func ClassifyMessage(msg string) ErrorClass {
	for _, r := range []struct {
		class ErrorClass
		words []string
	}{
		{ClassInternal, []string{"internal error"}},
		{ClassScanned, []string{"scanned PDF", "no text layer"}},
		{ClassEncrypted, []string{"encrypted"}},
		{ClassNotReport, []string{"no standard table found"}},
		{ClassTooLarge, []string{"larger than", "expands beyond", "zip bomb"}},
		{ClassEmpty, []string{"empty file"}},
		{ClassUnsupported, []string{"binary data", "OLE compound file", "Word 6/95", "zip archive that is not"}},
		{ClassNotFile, []string{"is a directory", "not a regular file"}},
		{ClassIO, []string{"keeping its bytes", "no such file", "permission denied"}},
		{ClassUnreadable, []string{"PDF", "DOCX", ".doc", "malformed", "unreadable"}},
	} {
		for _, w := range r.words {
			if strings.Contains(msg, w) {
				return r.class
			}
		}
	}
	return ClassOther
}
