package receipt

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the receipt shows Asia/Almaty time even on hosts without zoneinfo
	"unicode"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/text/unicode/norm"

	"talap/frontend/fonts"
	langs "talap/portal/lang"
)

// Zone is the time zone the receipt states the filing time in.
const Zone = "Asia/Almaty"

var zone = sync.OnceValues(func() (*time.Location, error) { return time.LoadLocation(Zone) })

var fontFiles = sync.OnceValues(func() ([2][]byte, error) {
	var out [2][]byte
	for i, name := range []string{fonts.Sans, fonts.SansBold} {
		b, err := fonts.FS.ReadFile(name)
		if err != nil {
			return out, fmt.Errorf("receipt: font %s: %w", name, err)
		}
		out[i] = b
	}
	return out, nil
})

// FormatFiledAt writes t as the receipt does: "27.11.2026 14:05 (Asia/Almaty)".
func FormatFiledAt(t time.Time) (string, error) {
	loc, err := zone()
	if err != nil {
		return "", fmt.Errorf("receipt: time zone %s: %w", Zone, err)
	}
	return t.In(loc).Format("02.01.2006 15:04") + " (" + Zone + ")", nil
}

// RenderPDF signs f and returns its receipt as an A4 PDF in lang (kk, ru or en), worded by t. The
// QR code and the printed link lead to verifyURL, the public page where the signature can be
// checked. See WritePDF.
func (s *Signer) RenderPDF(t Translate, f Facts, lang, verifyURL string) ([]byte, error) {
	var b bytes.Buffer
	if err := s.WritePDF(&b, t, f, lang, verifyURL); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WritePDF is RenderPDF writing to w. The receipt shows the full facts (claimant name and IIN,
// document names, the category and kind in words) with the signature, key ID, claimant commitment
// and the commitment's salt, which only this PDF shows; verifyURL should hold the receipt's token
// (NewToken), never its guessable number. Its fonts are embedded, and its creation date is the
// filing time, so the same facts, key and catalogs always give the same bytes.
func (s *Signer) WritePDF(w io.Writer, t Translate, f Facts, lang, verifyURL string) error {
	if !langs.Valid(lang) {
		return fmt.Errorf("receipt: unsupported language %q (want kk, ru or en)", lang)
	}
	if t == nil {
		return errors.New("receipt: no Translate")
	}
	l := words{t: t, lang: lang}
	if verifyURL == "" {
		return errors.New("receipt: verify URL is empty")
	}
	sg, err := s.Sign(f)
	if err != nil {
		return err
	}
	filed, err := FormatFiledAt(f.FiledAt)
	if err != nil {
		return err
	}
	qr, err := qrcode.New(verifyURL, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("receipt: QR code: %w", err)
	}
	png, err := qr.PNG(-8) // 8 pixels a module: crisp when scaled down
	if err != nil {
		return fmt.Errorf("receipt: QR code: %w", err)
	}
	ff, err := fontFiles()
	if err != nil {
		return err
	}

	// The footer states the page count, which is known only once laid out. A receipt is almost
	// always one page; when it is not, it is laid out again knowing the count.
	lay := func(pages int) *doc {
		d := newDoc(l, lang, ff, pages)
		d.pdf.SetTitle(printable(l.get("title")+" "+l.get("number_sign")+" "+f.Number), true)
		d.pdf.SetCreationDate(f.FiledAt)
		d.pdf.SetModificationDate(f.FiledAt)
		d.pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
		d.footer = fmt.Sprintf("%s %s · %s", l.get("number_sign"), f.Number, filed)
		d.pdf.AddPage()

		d.header(f.Number, filed, verifyURL)

		d.section(l.get("details"))
		d.row(l.get("number"), f.Number, plain)
		d.row(l.get("filed_at"), filed, plain)
		d.row(l.get("claimant"), f.Claimant.Name, plain)
		d.row(l.get("claimant_iin"), f.Claimant.IIN, plain)
		d.row(l.get("respondent"), f.Respondent.Name, plain)
		d.row(l.get("respondent_bin"), f.Respondent.BIN, plain)
		if f.Court == "" {
			d.row(l.get("court"), l.get("court_pending"), muted)
		} else {
			d.row(l.get("court"), f.Court, plain)
		}
		d.row(l.get("category_kind"), joinNonEmpty(" / ", l.code("category", f.Category), l.code("kind", f.Kind)), plain)

		d.section(l.get("documents"))
		d.documents(f.Documents)

		d.section(l.get("signature"))
		d.row(l.get("algorithm"), "Ed25519", plain)
		d.row(l.get("key_id"), sg.KeyID, code)
		d.row(l.get("signature_value"), base64.StdEncoding.EncodeToString(sg.Signature), code)
		d.row(l.get("commitment"), PublicView(f).ClaimantCommitment, code)
		d.row(l.get("salt"), f.Salt, code)

		d.verification(verifyURL)
		return d
	}
	d := lay(1)
	if n := d.pdf.PageNo(); n != 1 {
		d = lay(n)
	}
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("receipt: PDF: %w", err)
	}
	return nil
}

// Page geometry, in millimetres.
const (
	pageW   = 210.0
	pageH   = 297.0
	marginX = 18.0
	marginT = 16.0
	bottom  = pageH - 22 // content stops here; the footer sits below
	contW   = pageW - 2*marginX
	labelW  = 53.0 // label column of a detail row
	qrSize  = 34.0
)

type rgb struct{ r, g, b int }

var (
	navy  = rgb{20, 52, 99}
	ink   = rgb{33, 37, 41}
	grey  = rgb{96, 103, 112}
	rule  = rgb{210, 215, 221}
	shade = rgb{239, 242, 246}
)

const family = "DejaVu"

// valueStyle is how a detail row's value is set.
type valueStyle int

const (
	plain valueStyle = iota // body text, wrapped at spaces
	muted                   // body text in grey
	code                    // small, split evenly: hashes, signatures
)

type doc struct {
	pdf    *fpdf.Fpdf
	l      words
	footer string
}

func newDoc(l words, lang string, ff [2][]byte, pages int) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetMargins(marginX, marginT, marginX)
	pdf.SetAutoPageBreak(false, pageH-bottom)
	pdf.SetCatalogSort(true)
	pdf.SetCreator("Talap", true)
	pdf.SetLang(lang)
	pdf.AddUTF8FontFromBytes(family, "", ff[0])
	pdf.AddUTF8FontFromBytes(family, "B", ff[1])
	d := &doc{pdf: pdf, l: l}
	pdf.SetFooterFunc(func() {
		y := pageH - 15
		d.color(rule)
		pdf.SetLineWidth(0.2)
		pdf.Line(marginX, y, pageW-marginX, y)
		d.font(false, 7.5, grey)
		pdf.SetXY(marginX, y+1.5)
		pdf.CellFormat(contW*0.7, 4, printable(d.footer), "", 0, "L", false, 0, "")
		pdf.CellFormat(contW*0.3, 4, l.get("page", "Page", pdf.PageNo(), "Pages", pages), "", 0, "R", false, 0, "")
	})
	return d
}

func (d *doc) font(bold bool, size float64, c rgb) {
	style := ""
	if bold {
		style = "B"
	}
	d.pdf.SetFont(family, style, size)
	d.pdf.SetTextColor(c.r, c.g, c.b)
}

func (d *doc) color(c rgb) { d.pdf.SetDrawColor(c.r, c.g, c.b) }

// ensure starts a new page unless h millimetres fit above the footer; it reports a page break.
func (d *doc) ensure(h float64) bool {
	if d.pdf.GetY()+h <= bottom {
		return false
	}
	d.pdf.AddPage()
	return true
}

// lines wraps s to width w in the current font, at spaces, breaking words longer than a line; it
// always returns at least one line. (fpdf's SplitText is not used: it breaks after every
// zero-width character, such as a combining mark.)
func (d *doc) lines(s string, w float64) []string {
	avail := w - 2*d.pdf.GetCellMargin()
	fits := func(s string) bool { return d.pdf.GetStringWidth(s) <= avail }
	var out []string
	cur := ""
	for _, word := range strings.Split(printable(s), " ") {
		if word == "" {
			continue
		}
		if cur != "" && fits(cur+" "+word) {
			cur += " " + word
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		for !fits(word) {
			r := []rune(word)
			n := 1 // the longest prefix that fits, at least one character and its marks
			for n < len(r) && (unicode.Is(unicode.Mn, r[n]) || fits(string(r[:n+1]))) {
				n++
			}
			if n == len(r) {
				break
			}
			out = append(out, string(r[:n]))
			word = string(r[n:])
		}
		cur = word
	}
	if cur != "" || len(out) == 0 {
		out = append(out, cur)
	}
	return out
}

// even splits an unbroken string (hex, base64) into the fewest equal pieces that fit w.
func (d *doc) even(s string, w float64) []string {
	avail := w - 2*d.pdf.GetCellMargin()
	for k := 1; ; k++ {
		n := int(math.Ceil(float64(len(s)) / float64(k)))
		var out []string
		fits := true
		for i := 0; i < len(s); i += n {
			piece := s[i:min(i+n, len(s))]
			out = append(out, piece)
			fits = fits && d.pdf.GetStringWidth(piece) <= avail
		}
		if fits || n <= 1 {
			if len(out) == 0 {
				out = []string{""}
			}
			return out
		}
	}
}

func (d *doc) text(x, y, w, h float64, lines []string, align string) {
	for i, s := range lines {
		d.pdf.SetXY(x, y+float64(i)*h)
		d.pdf.CellFormat(w, h, printable(s), "", 0, align, false, 0, "")
	}
}

func (d *doc) header(number, filed, verifyURL string) {
	p := d.pdf
	top := marginT
	qrX := pageW - marginX - qrSize
	p.ImageOptions("qr", qrX, top-2, qrSize, qrSize, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, verifyURL)
	d.font(false, 6.5, grey)
	d.text(qrX, top-2+qrSize-1.5, qrSize, 3, []string{d.l.get("verify_scan")}, "C")

	w := contW - qrSize - 6
	d.font(true, 8, navy)
	brand := d.lines(d.l.get("brand"), w)
	d.text(marginX, top, w, 4, brand, "L")
	y := top + float64(len(brand))*4 + 3

	d.font(true, 18, ink)
	title := d.lines(d.l.get("title"), w)
	d.text(marginX, y, w, 8.5, title, "L")
	y += float64(len(title))*8.5 + 1.5

	d.font(true, 13, navy)
	num := d.lines(d.l.get("number_sign")+" "+number, w)
	d.text(marginX, y, w, 6.5, num, "L")
	y += float64(len(num))*6.5 + 0.5

	d.font(false, 10, grey)
	d.text(marginX, y, w, 5, []string{filed}, "L")
	y += 5

	y = max(y, top-2+qrSize+2) + 3
	d.color(navy)
	p.SetLineWidth(0.6)
	p.Line(marginX, y, pageW-marginX, y)
	p.SetXY(marginX, y+3)
}

func (d *doc) section(title string) {
	d.ensure(18) // a heading is never left alone at the foot of a page
	p := d.pdf
	y := p.GetY() + 3
	d.font(true, 11, navy)
	d.text(marginX, y, contW, 6, []string{title}, "L")
	y += 6.5
	d.color(navy)
	p.SetLineWidth(0.3)
	p.Line(marginX, y, pageW-marginX, y)
	p.SetXY(marginX, y)
}

// row is one label and value of a details block.
func (d *doc) row(label, value string, st valueStyle) {
	const pad = 1.6
	p := d.pdf
	d.font(false, 8.5, grey)
	ls := d.lines(label, labelW)
	valW := contW - labelW
	var vs []string
	lh, c := 5.0, ink
	switch st {
	case code:
		d.font(false, 8, ink)
		vs, lh = d.even(value, valW), 4.0
	case muted:
		c = grey
		fallthrough
	default:
		d.font(false, 10, c)
		vs = d.lines(value, valW)
	}
	h := math.Max(float64(len(ls))*4.4, float64(len(vs))*lh) + 2*pad
	d.ensure(h)
	y := p.GetY()
	d.font(false, 8.5, grey)
	d.text(marginX, y+pad+0.3, labelW, 4.4, ls, "L")
	switch st {
	case code:
		d.font(false, 8, ink)
		d.text(marginX+labelW, y+pad+0.5, valW, lh, vs, "L")
	default:
		d.font(false, 10, c)
		d.text(marginX+labelW, y+pad, valW, lh, vs, "L")
	}
	d.color(rule)
	p.SetLineWidth(0.2)
	p.Line(marginX, y+h, pageW-marginX, y+h)
	p.SetXY(marginX, y+h)
}

// documents draws the document table, repeating its head after a page break.
func (d *doc) documents(docs []Document) {
	p := d.pdf
	if len(docs) == 0 {
		d.ensure(8.2)
		y := p.GetY()
		d.font(false, 10, grey)
		d.text(marginX, y+1.6, contW, 5, []string{d.l.get("no_documents")}, "L")
		d.color(rule)
		p.SetLineWidth(0.2)
		p.Line(marginX, y+8.2, pageW-marginX, y+8.2)
		p.SetXY(marginX, y+8.2)
		return
	}
	const (
		noW   = 8.0
		sizeW = 22.0
		hashW = 56.0
		nameW = contW - noW - sizeW - hashW
		gap   = 3.0 // between the sizes and the hashes
		pad   = 1.6
	)
	head := func() {
		y := p.GetY() + 1
		p.SetFillColor(shade.r, shade.g, shade.b)
		p.Rect(marginX, y, contW, 6.5, "F")
		d.font(true, 8, grey)
		d.text(marginX, y+0.5, noW, 5.5, []string{"№"}, "L")
		d.text(marginX+noW, y+0.5, nameW, 5.5, []string{d.l.get("document_name")}, "L")
		d.text(marginX+noW+nameW, y+0.5, sizeW-gap, 5.5, []string{d.l.get("document_size")}, "R")
		d.text(marginX+noW+nameW+sizeW, y+0.5, hashW, 5.5, []string{"SHA-256"}, "L")
		p.SetXY(marginX, y+6.5)
	}
	head()
	for i, doc := range docs {
		d.font(false, 9, ink)
		names := d.lines(doc.Name, nameW)
		d.font(false, 7.5, ink)
		hash := d.even(strings.ToLower(doc.SHA256), hashW)
		h := math.Max(float64(len(names))*4.4, float64(len(hash))*3.5) + 2*pad
		if d.ensure(h) {
			head()
		}
		y := p.GetY()
		d.font(false, 9, grey)
		d.text(marginX, y+pad, noW, 4.4, []string{strconv.Itoa(i + 1)}, "L")
		d.font(false, 9, ink)
		d.text(marginX+noW, y+pad, nameW, 4.4, names, "L")
		d.text(marginX+noW+nameW, y+pad, sizeW-gap, 4.4, []string{humanSize(doc.Size, d.l)}, "R")
		d.font(false, 7.5, ink)
		d.text(marginX+noW+nameW+sizeW, y+pad+0.5, hashW, 3.5, hash, "L")
		d.color(rule)
		p.SetLineWidth(0.2)
		p.Line(marginX, y+h, pageW-marginX, y+h)
		p.SetXY(marginX, y+h)
	}
}

// verification tells the reader how to check the receipt and what the signature covers.
func (d *doc) verification(verifyURL string) {
	p := d.pdf
	d.font(false, 9.5, ink)
	how := d.lines(d.l.get("verify_how"), contW)
	url := d.lines(verifyURL, contW)
	d.font(false, 8, grey)
	note := d.lines(d.l.get("public_note"), contW)
	d.section(d.l.get("verify"))
	d.ensure(float64(len(how)+len(url))*5 + float64(len(note))*4 + 6)
	y := p.GetY() + 2
	d.font(false, 9.5, ink)
	d.text(marginX, y, contW, 5, how, "L")
	y += float64(len(how)) * 5
	d.font(false, 9.5, navy)
	for _, s := range url {
		p.SetXY(marginX, y)
		p.CellFormat(contW, 5, printable(s), "", 0, "L", false, 0, verifyURL)
		y += 5
	}
	y += 2
	d.font(false, 8, grey)
	d.text(marginX, y, contW, 4, note, "L")
	p.SetXY(marginX, y+float64(len(note))*4)
}

// printable makes s safe to draw. It composes characters (NFC: file names from macOS arrive
// decomposed), turns characters beyond U+FFFF into U+FFFD (fpdf's width tables stop there and it
// panics beyond), tabs and line breaks into spaces, and drops other control and format characters
// (zero-width spaces, byte order marks, direction marks), which have no glyph.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '\uFFFD'
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, norm.NFC.String(s))
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, s := range parts {
		if s != "" {
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 {
		return "—"
	}
	return strings.Join(keep, sep)
}
