package receipt

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"talap/portal/locale"
	"talap/portal/testenv"
)

// translator loads the catalogs the portal words receipts with.
func translator(t *testing.T) *locale.Translator {
	t.Helper()
	tr, err := locale.New()
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// verifyURL carries a token, as the portal prints it: never the guessable claim number.
const verifyURL = "https://talap.example.kz/verify/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// TALAP_RECEIPT_SAMPLES=dir keeps the rendered receipts there (receipt-kk.pdf, …) for a look.
func keep(t *testing.T, name string, pdf []byte) string {
	t.Helper()
	dir := os.Getenv("TALAP_RECEIPT_SAMPLES")
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pdfText extracts the text with pdftotext, or skips if poppler-utils is not installed.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	testenv.NeedTools(t, "pdftotext")
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPDF(t *testing.T) {
	s, tr := signer(t), translator(t)
	f := sample()
	sg, err := s.Sign(f)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ lang, title, onePage string }{
		{"kk", "Талап берілгені туралы түбіртек", "Бет 1 / 1"},
		{"ru", "Квитанция о подаче иска", "Страница 1 из 1"},
		{"en", "Filing receipt", "Page 1 of 1"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			pdf, err := s.RenderPDF(tr.T, f, tc.lang, verifyURL)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 16)])
			}
			// fpdf names the embedded subset after the family ("utf8dejavu"); the font program
			// itself is a FontFile2 stream.
			if !bytes.Contains(bytes.ToLower(pdf), []byte("dejavu")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
				t.Error("PDF does not embed the DejaVu font")
			}
			again, err := s.RenderPDF(tr.T, f, tc.lang, verifyURL)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pdf, again) {
				t.Error("the same receipt rendered to different bytes")
			}
			path := keep(t, "receipt-"+tc.lang+".pdf", pdf)

			if _, err := exec.LookPath("pdffonts"); err == nil {
				out, err := exec.Command("pdffonts", path).Output()
				if err != nil {
					t.Fatalf("pdffonts: %v", err)
				}
				for _, line := range strings.Split(string(out), "\n")[2:] {
					if line != "" && (!strings.Contains(strings.ToLower(line), "dejavu") || !strings.Contains(line, " yes ")) {
						t.Errorf("font not embedded DejaVu: %s", line)
					}
				}
			}

			text := pdfText(t, path)
			flat := strings.Join(strings.Fields(text), " ")
			wants := []string{tc.title, f.Number, f.Claimant.Name, f.Claimant.IIN, f.Respondent.BIN,
				"27.11.2026 14:05 (Asia/Almaty)", verifyURL, sg.KeyID, f.Documents[2].Name,
				hashA[:32], hashA[32:], PublicView(f).ClaimantCommitment[:32], PublicView(f).ClaimantCommitment[32:],
				f.Salt[:32], f.Salt[32:], tc.onePage}
			if tc.lang == "kk" {
				wants = append(wants, "түбіртек", "әкімшілік", "Қоса берілген құжаттар", "47,1 КБ")
			}
			for _, want := range wants {
				if !strings.Contains(flat, want) {
					t.Errorf("extracted text lacks %q:\n%s", want, text)
				}
			}
			// The unsalted commitment of version 1 receipts is not printed.
			if legacy := LegacyCommitment(f.Claimant.IIN, f.Claimant.Name); strings.Contains(flat, legacy[:32]) {
				t.Error("the receipt prints the unsalted commitment")
			}
		})
	}
}

func TestPDFPendingCourtAndNoDocuments(t *testing.T) {
	s, tr := signer(t), translator(t)
	f := sample()
	f.Court = ""
	f.Documents = nil
	pdf, err := s.RenderPDF(tr.T, f, "en", verifyURL)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, keep(t, "receipt-empty.pdf", pdf))
	for _, want := range []string{"to be assigned", "No documents attached", "Page 1 of 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q:\n%s", want, text)
		}
	}
}

func TestPDFManyDocumentsBreaksPages(t *testing.T) {
	s, tr := signer(t), translator(t)
	f := sample()
	f.Documents = nil
	for i := range 40 {
		f.Documents = append(f.Documents, Document{
			Name: fmt.Sprintf("Қосымша %d — өте ұзын атауы бар құжат, ол бір жолға сыймайды және келесі жолға ауысады.pdf", i+1),
			Size: int64(i) * 100000, SHA256: hashB, ContentType: "application/pdf",
		})
	}
	pdf, err := s.RenderPDF(tr.T, f, "kk", verifyURL)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, keep(t, "receipt-many.pdf", pdf))
	for _, want := range []string{"Бет 1 / ", "Бет 2 / ", "Қосымша 40", "Қолтаңба (base64)"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q", want)
		}
	}
	if strings.Count(text, "Атауы") < 2 {
		t.Error("the document table head is not repeated after the page break")
	}
}

func TestPDFRejects(t *testing.T) {
	s, tr := signer(t), translator(t)
	if _, err := s.RenderPDF(tr.T, sample(), "de", verifyURL); err == nil {
		t.Error("unsupported language accepted")
	}
	if _, err := s.RenderPDF(tr.T, sample(), "kk", ""); err == nil {
		t.Error("empty verify URL accepted")
	}
	f := sample()
	f.Number = ""
	if _, err := s.RenderPDF(tr.T, f, "kk", verifyURL); err == nil {
		t.Error("facts without a number accepted")
	}
	if _, err := s.RenderPDF(nil, sample(), "kk", verifyURL); err == nil {
		t.Error("no Translate accepted")
	}
}

// The receipt names the category and kind in words of its language, not by their codes; a code
// the catalogs do not know is printed as it is.
func TestPDFCategoryAndKindInWords(t *testing.T) {
	s, tr := signer(t), translator(t)
	for _, tc := range []struct{ lang, category, kind, want, notWant string }{
		{"kk", "land", "challenge", "Санаты / түрі Жер / Шешімнің күшін жою (дау айту)", "land"},
		{"ru", "land", "challenge", "Категория / вид Земля / Отменить решение (оспаривание)", "land"},
		{"en", "land", "challenge", "Category / kind Land / Annul a decision (challenge)", "land / challenge"},
		{"ru", "housing", "coercion", "Жильё / Обязать орган принять решение (принуждение)", "housing"},
		{"en", "tax", "appeal", "Category / kind Tax / appeal", "tax /"},
		{"en", "", "", "Category / kind —", "Category / kind /"},
	} {
		t.Run(tc.lang+"/"+tc.category+"/"+tc.kind, func(t *testing.T) {
			f := sample()
			f.Category, f.Kind = tc.category, tc.kind
			pdf, err := s.RenderPDF(tr.T, f, tc.lang, verifyURL)
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(pdfText(t, keep(t, "receipt-words-"+tc.lang+".pdf", pdf))), " ")
			if !strings.Contains(flat, tc.want) {
				t.Errorf("extracted text lacks %q:\n%s", tc.want, flat)
			}
			if strings.Contains(flat, tc.notWant) {
				t.Errorf("extracted text has %q:\n%s", tc.notWant, flat)
			}
		})
	}
}

// Every receipt.* message the receipt asks for is in all three catalogs, so no receipt ever
// borrows another language's words or prints a message id.
func TestCatalogHoldsReceiptTexts(t *testing.T) {
	s, tr := signer(t), translator(t)
	asked := map[string]bool{}
	record := func(l, id string, pairs ...any) string {
		asked[id] = true
		return tr.T(l, id, pairs...)
	}
	pending := sample()
	pending.Court, pending.Documents = "", nil
	sizes := sample() // one document in each unit, bytes to gigabytes
	sizes.Documents = nil
	for _, n := range []int64{10, 10 << 10, 10 << 20, 10 << 30} {
		sizes.Documents = append(sizes.Documents, Document{Name: "x.pdf", Size: n, SHA256: hashA, ContentType: "application/pdf"})
	}
	for _, l := range []string{"kk", "ru", "en"} {
		for _, f := range []Facts{sample(), pending, sizes} {
			if _, err := s.RenderPDF(record, f, l, verifyURL); err != nil {
				t.Fatal(err)
			}
		}
	}
	n := 0
	for id := range asked {
		if !strings.HasPrefix(id, "receipt.") {
			continue
		}
		n++
		for _, l := range []string{"kk", "ru", "en"} {
			if !tr.Has(l, id) {
				t.Errorf("%s.json lacks %s", l, id)
			}
		}
	}
	if n < 30 {
		t.Errorf("the receipt asked for only %d receipt.* messages: %v", n, asked)
	}
}

// Names come from users' file systems: emoji, decomposed letters (macOS), zero-width and control
// characters, words longer than a line. None may crash the renderer or break the layout.
func TestPDFAwkwardText(t *testing.T) {
	s, tr := signer(t), translator(t)
	f := sample()
	f.Documents[0].Name = "скан 😀 合同 \U0010FFFF\u200b\ufeff.pdf"
	f.Documents[1].Name = "Заявление Андреи\u0306 Ерёмина " + strings.Repeat("ОченьДлинноеИмяБезПробелов", 6) + ".pdf"
	f.Claimant.Name = "Әлия\x00\t\nӨтегенова"
	f.Court = "\U0001F3DB Сот"
	pdf, err := s.RenderPDF(tr.T, f, "kk", verifyURL)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(pdfText(t, keep(t, "receipt-awkward.pdf", pdf))), " ")
	for _, want := range []string{"Андрей Ерёмина", "Әлия Өтегенова", "\uFFFD Сот", "скан \uFFFD"} {
		if !strings.Contains(flat, want) {
			t.Errorf("extracted text lacks %q:\n%s", want, flat)
		}
	}
}

func TestLines(t *testing.T) {
	ff, err := fontFiles()
	if err != nil {
		t.Fatal(err)
	}
	d := newDoc(words{t: translator(t).T, lang: "kk"}, "kk", ff, 1)
	d.pdf.AddPage()
	d.font(false, 9, ink)
	const w = 40.0
	for _, in := range []string{
		"", "   ", "қысқа", "Алматы қаласы бойынша Мемлекеттік кірістер департаменті",
		strings.Repeat("ұзынсөз", 20), "a\u0301" + strings.Repeat("й", 60), "x  y\t\tz",
	} {
		ls := d.lines(in, w)
		if len(ls) == 0 {
			t.Errorf("lines(%q) is empty", in)
		}
		for _, l := range ls {
			if d.pdf.GetStringWidth(l) > w-2*d.pdf.GetCellMargin() {
				t.Errorf("lines(%q): %q is wider than %v mm", in, l, w)
			}
		}
		noSpace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if got, want := noSpace(strings.Join(ls, "")), noSpace(printable(in)); got != want {
			t.Errorf("lines(%q) lost text: %q", in, ls)
		}
	}
}

// The QR code must scan to the verify URL. Needs pdftoppm and zbarimg (zbar-tools).
func TestPDFQRCode(t *testing.T) {
	s, tr := signer(t), translator(t)
	pdf, err := s.RenderPDF(tr.T, sample(), "ru", verifyURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := testenv.PDFQRCode(t, pdf); got != verifyURL {
		t.Errorf("QR code = %q, want %q", got, verifyURL)
	}
}
