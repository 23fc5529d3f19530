// Package ocr reads text from images: one interface, so engines can be
// measured against each other, and Tesseract (Debian's tesseract-ocr with
// tesseract-ocr-chi-sim) behind it through its command line, many images
// per process.
package ocr

import (
	"context"
	"errors"
	"image"
)

// Mode is what an image is expected to hold.
type Mode int

const (
	// Text is Chinese text with digits: labels, titles, paragraphs.
	Text Mode = iota
	// Digits is a number alone: 0–9, a sign, a decimal point.
	Digits
	// Line is one line of Chinese text: a second try at a short label the
	// block mode read nothing in.
	Line
)

// Result is what an engine read in one image.
type Result struct {
	Text string
	// Confidence is the engine's certainty of its least certain word, 0–1;
	// 0 when nothing was read.
	Confidence float64
}

// Engine recognises text in images.
type Engine interface {
	// Recognize reads each image as one block of text in mode, in order:
	// len(results) == len(images).
	Recognize(ctx context.Context, images []image.Image, mode Mode) ([]Result, error)
	// Name names the engine and its version, for provenance.
	Name() string
}

// ErrNotInstalled means no OCR engine is installed: image-born documents
// cannot be read until one is.
var ErrNotInstalled = errors.New("OCR is not installed: apt-get install tesseract-ocr tesseract-ocr-chi-sim (then run again; nothing else changes)")
