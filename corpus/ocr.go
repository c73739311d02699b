package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os/exec"
	"strings"
)

// OCR reads the text of a page image.
type OCR interface {
	// Recognize returns the text of img, a rendered page.
	Recognize(ctx context.Context, img image.Image) (string, error)
}

// TesseractInstall is the command that installs Tesseract with its French
// language data on Debian and Ubuntu.
const TesseractInstall = "apt-get install -y tesseract-ocr tesseract-ocr-fra"

// ErrNoTesseract is wrapped by NewTesseract's error when Tesseract or its
// French data is not installed.
var ErrNoTesseract = errors.New("tesseract with French (fra) data is not installed")

// Tesseract is an OCR that runs the tesseract program, in French.
type Tesseract struct {
	path string
	lang string
}

// NewTesseract finds the tesseract program and checks that it has the
// French language ("fra"). Its error wraps ErrNoTesseract and gives the
// install command (TesseractInstall).
func NewTesseract() (*Tesseract, error) {
	path, err := exec.LookPath("tesseract")
	if err != nil {
		return nil, fmt.Errorf("%w (install it with: %s)", ErrNoTesseract, TesseractInstall)
	}
	out, err := exec.Command(path, "--list-langs").CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%w: %s --list-langs: %v (install it with: %s)", ErrNoTesseract, path, err, TesseractInstall)
	}
	for _, l := range strings.Fields(string(out)) {
		if l == "fra" {
			return &Tesseract{path: path, lang: "fra"}, nil
		}
	}
	return nil, fmt.Errorf("%w: %s has no French data (install it with: %s)", ErrNoTesseract, path, TesseractInstall)
}

// Recognize runs tesseract on img (sent as PNG on its standard input) and
// returns the text it reads.
func (t *Tesseract) Recognize(ctx context.Context, img image.Image) (string, error) {
	var in bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&in, img); err != nil {
		return "", fmt.Errorf("encoding the page image: %w", err)
	}
	cmd := exec.CommandContext(ctx, t.path, "stdin", "stdout", "-l", t.lang)
	cmd.Stdin = &in
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200]
		}
		return "", fmt.Errorf("tesseract: %w: %s", err, msg)
	}
	return out.String(), nil
}
