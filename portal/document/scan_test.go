package document

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

var scanCases = []struct {
	in   string
	want bool
}{
	{"trailer\n<< /Size 6 /Root 1 0 R /Encrypt 5 0 R /ID [<01><01>] >>", true},
	{"<</Type/XRef/Encrypt 9 0 R/W[1 2 1]>>", true},
	{"<</Encrypt<</Filter/Standard/V 1>>>>", true},
	{"/Encrypt\r\n5 0 R", true},
	{"/Encrypt/Foo", true},
	{"//Encrypt ", true},
	{"/Encrypted /EncryptMetadata /Encrypt\t", true},
	{"<< /EncryptMetadata false >>", false},
	{"/Encrypted", false},
	{"/Encryp t", false},
	{"/encrypt 5 0 R", false},
	{"ends with /Encrypt", false},
	{"/Encrypt", false},
	{"no key at all", false},
	{"", false},
}

func scanPieces(pieces ...[]byte) bool {
	var s encryptScanner
	for _, p := range pieces {
		s.write(p)
	}
	return s.found
}

// TestEncryptScannerFindsTheKeyAcrossEveryReadBoundary cuts each input into three pieces at
// every pair of positions, and also feeds it byte by byte.
func TestEncryptScannerFindsTheKeyAcrossEveryReadBoundary(t *testing.T) {
	for _, tc := range scanCases {
		in := []byte(tc.in)
		for i := 0; i <= len(in); i++ {
			for j := i; j <= len(in); j++ {
				if got := scanPieces(in[:i], in[i:j], in[j:]); got != tc.want {
					t.Fatalf("%q cut at %d and %d: found %v, want %v", tc.in, i, j, got, tc.want)
				}
			}
		}
		var s encryptScanner
		for k := range in {
			s.write(in[k : k+1])
		}
		if s.found != tc.want {
			t.Errorf("%q byte by byte: found %v, want %v", tc.in, s.found, tc.want)
		}
	}
}

func TestSourceAnswersEncryptedAtTheEndOfAPDFOnly(t *testing.T) {
	read := func(data []byte, r func(io.Reader) io.Reader) error {
		src := &source{r: r(bytes.NewReader(data)), max: 1 << 30, sum: nopHash{}}
		_, err := io.Copy(io.Discard, src)
		return err
	}
	wrappers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"1-7":      func(r io.Reader) io.Reader { return &chunkReader{r: r} },
		"data+EOF": iotest.DataErrReader,
	}
	for name, wrap := range wrappers {
		if err := read(pdfFile(true, 0), wrap); !isCode(err, CodeEncryptedPDF) {
			t.Errorf("%s: encrypted PDF read gave %v", name, err)
		}
		if err := read(pdfFile(false, 0), wrap); err != nil {
			t.Errorf("%s: plain PDF read gave %v", name, err)
		}
		if err := read([]byte("PK\x03\x04 /Encrypt 5 0 R"), wrap); err != nil {
			t.Errorf("%s: a non-PDF with the key gave %v", name, err)
		}
	}
}

func isCode(err error, code string) bool {
	e, ok := err.(*Error)
	return ok && e.Code == code
}

type nopHash struct{}

func (nopHash) Write(p []byte) (int, error) { return len(p), nil }
func (nopHash) Sum(b []byte) []byte         { return b }
func (nopHash) Reset()                      {}
func (nopHash) Size() int                   { return 0 }
func (nopHash) BlockSize() int              { return 1 }
