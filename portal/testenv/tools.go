package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// NeedTools skips a test whose command-line tools are missing on a developer's machine. Where the
// tools must be there (CI, or `make test`, which installs them and sets TALAP_REQUIRE_TOOLS), a
// missing tool fails the test instead.
func NeedTools(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" || os.Getenv("TALAP_REQUIRE_TOOLS") != "" {
				t.Fatalf("%s not installed (make test installs it)", tool)
			}
			t.Skip(tool + " not installed")
		}
	}
}

// PDFText is a PDF's text as pdftotext reads it (poppler-utils).
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	NeedTools(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", writePDF(t, pdf), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// PDFQRCode is what the QR code on a PDF's first page says (pdftoppm, then zbarimg).
func PDFQRCode(t testing.TB, pdf []byte) string {
	t.Helper()
	NeedTools(t, "pdftoppm", "zbarimg")
	path := writePDF(t, pdf)
	png := filepath.Join(filepath.Dir(path), "p")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", path, png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command("zbarimg", "-q", "--raw", png+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func writePDF(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
