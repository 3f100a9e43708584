package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// Generated documents: "%PDF-1.7\n", pseudo-random bytes, "\n%%EOF\n". The bytes cycle through one
// random 1 MiB block, so any size is produced at memory-copy speed and never held whole. The block
// has no '/' byte, so "/Encrypt" cannot appear and the portal accepts the file as a plain PDF.
const (
	pdfHeader  = "%PDF-1.7\n"
	pdfTrailer = "\n%%EOF\n"
	blockSize  = 1 << 20
	minDocSize = len(pdfHeader) + len(pdfTrailer) + 1
)

var block = func() []byte {
	b := make([]byte, blockSize)
	var seed [32]byte
	copy(seed[:], "talap loadtest generated pdf")
	_, _ = rand.NewChaCha8(seed).Read(b)
	for i, c := range b {
		if c == '/' {
			b[i] = '.'
		}
	}
	return b
}()

// pdfStream reads as a generated PDF of size bytes; offset picks where in the block the body starts,
// so that documents of one run differ.
type pdfStream struct {
	size, pos, offset int64
}

func newPDF(size, offset int64) *pdfStream {
	return &pdfStream{size: size, offset: offset % blockSize}
}

func (s *pdfStream) Read(p []byte) (int, error) {
	if s.pos >= s.size {
		return 0, io.EOF
	}
	hdr, trl := int64(len(pdfHeader)), int64(len(pdfTrailer))
	n := 0
	for n < len(p) && s.pos < s.size {
		var src []byte
		switch {
		case s.pos < hdr:
			src = []byte(pdfHeader[s.pos:])
		case s.pos >= s.size-trl:
			src = []byte(pdfTrailer[s.pos-(s.size-trl):])
		default:
			i := (s.pos - hdr + s.offset) % blockSize
			src = block[i:]
			if left := s.size - trl - s.pos; int64(len(src)) > left {
				src = src[:left]
			}
		}
		c := copy(p[n:], src)
		n += c
		s.pos += int64(c)
	}
	return n, nil
}

// pdfSHA256 hashes a generated document without keeping it.
func pdfSHA256(size, offset int64) string {
	h := sha256.New()
	_, _ = io.Copy(h, newPDF(size, offset))
	return hex.EncodeToString(h.Sum(nil))
}

// memory is what /proc/<pid>/status says of a process's resident memory, in bytes.
type memory struct {
	RSS, HWM int64
}

func readMemory(pid int) (memory, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	return parseStatus(f)
}

// parseStatus reads VmRSS and VmHWM (peak RSS) from a /proc/<pid>/status file.
func parseStatus(r io.Reader) (memory, error) {
	var m memory
	found := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return m, fmt.Errorf("unexpected %s line %q", name, sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return m, fmt.Errorf("unexpected %s line %q", name, sc.Text())
		}
		if name == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.HWM = kb << 10
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return m, err
	}
	if found < 2 {
		return m, fmt.Errorf("VmRSS or VmHWM missing")
	}
	return m, nil
}

// resetPeak resets a process's VmHWM to its current RSS (Linux clear_refs, value 5), so that the
// peak read afterwards is the peak since now. It needs permission over the process (our child).
func resetPeak(pid int) error {
	return os.WriteFile("/proc/"+strconv.Itoa(pid)+"/clear_refs", []byte("5"), 0)
}
