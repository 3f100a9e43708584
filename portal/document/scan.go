package document

import "bytes"

// Encryption of a PDF is announced by the /Encrypt key of the trailer dictionary (classic
// cross-reference tables) or of the cross-reference stream dictionary (PDF 1.5+). Neither may be
// compressed, so the key is always in the file as the plain bytes "/Encrypt" followed by a
// delimiter ("/Encrypt 5 0 R", "/Encrypt<<…>>"). A streaming scan for that token finds every
// encrypted PDF; it does not parse the file, so it would also refuse a PDF that carries the
// literal text "/Encrypt " in an uncompressed content stream, which in practice does not happen
// in filings. Longer names that start the same way (/EncryptMetadata) do not match.
const encryptName = "/Encrypt"

var encryptKey = []byte(encryptName)

// encryptScanner looks for encryptKey in a stream fed to it in pieces of any size. It keeps the
// last len(encryptKey)-1 bytes of the stream so that a key split across two pieces is found, and
// remembers a key that ended exactly at the end of a piece until the next byte says whether a
// delimiter follows it.
type encryptScanner struct {
	tail    [len(encryptName) - 1]byte
	tailN   int
	pending bool // the stream so far ends with encryptKey; the next byte decides
	found   bool
}

func (s *encryptScanner) write(p []byte) {
	if s.found || len(p) == 0 {
		return
	}
	if s.pending {
		s.pending = false
		if isDelimiter(p[0]) {
			s.found = true
			return
		}
	}
	// Keys that start in the tail and end in p.
	if s.tailN > 0 {
		var buf [2*len(encryptName) - 2]byte
		join := append(buf[:0], s.tail[:s.tailN]...)
		join = append(join, p[:min(len(p), len(encryptKey)-1)]...)
		for off := 0; ; {
			i := bytes.Index(join[off:], encryptKey)
			if i < 0 || off+i >= s.tailN {
				break
			}
			s.match(p, off+i+len(encryptKey)-s.tailN)
			if s.found {
				return
			}
			off += i + 1
		}
	}
	// Keys that start in p.
	for off := 0; ; {
		i := bytes.Index(p[off:], encryptKey)
		if i < 0 {
			break
		}
		s.match(p, off+i+len(encryptKey))
		if s.found {
			return
		}
		off += i + 1
	}
	// Remember the last bytes of the stream.
	if len(p) >= len(s.tail) {
		s.tailN = copy(s.tail[:], p[len(p)-len(s.tail):])
	} else {
		keep := min(s.tailN, len(s.tail)-len(p))
		copy(s.tail[:], s.tail[s.tailN-keep:s.tailN])
		s.tailN = keep + copy(s.tail[keep:], p)
	}
}

// match handles a key that ends at offset next of p: the byte there, if p has it, decides.
func (s *encryptScanner) match(p []byte, next int) {
	if next < len(p) {
		s.found = s.found || isDelimiter(p[next])
	} else {
		s.pending = true
	}
}

// isDelimiter reports the bytes that may end a PDF name: white space and delimiters
// (ISO 32000-1, 7.2.2).
func isDelimiter(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
